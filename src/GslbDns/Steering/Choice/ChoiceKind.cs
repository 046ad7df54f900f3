namespace GslbDns.Steering.Choice;

/// <summary>What kind of answer a decision calls for.</summary>
public enum ChoiceKind : byte
{
    /// <summary>Answer with <see cref="RegionChoice.Region"/>.</summary>
    Region,

    /// <summary>No region is live and the service's all-down policy is servfail.</summary>
    ServFail,

    /// <summary>No region is live and the service's all-down policy is nodata.</summary>
    NoData,
}
