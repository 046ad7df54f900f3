namespace GslbDns.Steering.Choice;

/// <summary>Why a region was or was not chosen, for <c>explain</c> output.</summary>
public enum RegionVerdict : byte
{
    /// <summary>The ranking in force does not list the region.</summary>
    NotRanked,

    Chosen,

    /// <summary>Usable, but a region in a better rank was usable too.</summary>
    LowerRank,

    /// <summary>Usable and a candidate, but the weighted hash of the client network picked another region.</summary>
    Outweighed,

    /// <summary>This client's network is in the part of the region's clients its load sheds.</summary>
    Shed,

    Drained,
    AdminDown,
    HealthDown,
}
