namespace GslbDns.Steering;

/// <summary>Why a steered answer went where it went (the <c>reason</c> label of the steering metrics).</summary>
public enum SteeringReason : byte
{
    /// <summary>Not a steered decision: a plain name, or a region's LB name asked directly.</summary>
    None,

    /// <summary>The client's first preference, alone in its rank or not split by weight.</summary>
    Preferred,

    /// <summary>A weighted split among the regions of one rank put the client here.</summary>
    Weighted,

    /// <summary>The client's region sheds part of its clients for load and this client was moved here.</summary>
    Shed,

    /// <summary>The client's first preference is down or drained; a later rank (or spill by capacity) took it.</summary>
    Spill,

    /// <summary>No region was live and the all-down policy answers with every region (fail open).</summary>
    FailOpen,

    /// <summary>No region was live and the all-down policy answers SERVFAIL.</summary>
    AllDownServFail,

    /// <summary>No region was live and the all-down policy answers NODATA.</summary>
    AllDownNoData,
}

public static class SteeringReasons
{
    /// <summary>Every reason a decision can have, in label order.</summary>
    public static readonly SteeringReason[] Decisions =
    [
        SteeringReason.Preferred, SteeringReason.Weighted, SteeringReason.Shed, SteeringReason.Spill,
        SteeringReason.FailOpen, SteeringReason.AllDownServFail, SteeringReason.AllDownNoData,
    ];

    /// <summary>The label value operators see (metrics, query log).</summary>
    public static string Label(this SteeringReason reason) => reason switch
    {
        SteeringReason.Preferred => "preferred",
        SteeringReason.Weighted => "weighted",
        SteeringReason.Shed => "shed",
        SteeringReason.Spill => "spill",
        SteeringReason.FailOpen => "fail_open",
        SteeringReason.AllDownServFail => "all_down_servfail",
        SteeringReason.AllDownNoData => "all_down_nodata",
        _ => "none",
    };
}
