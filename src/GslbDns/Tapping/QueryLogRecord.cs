using GslbDns.Parsing;
using GslbDns.Pipeline;
using GslbDns.Steering;

namespace GslbDns.Tapping;

/// <summary>
/// What the query log keeps of one query, copied on the query path into a preallocated slot: plain
/// values and one reference (the steered service, which outlives the query anyway). The question
/// name is in the slot's byte area.
/// </summary>
public struct QueryLogRecord
{
    public long Started;
    public long Finished;
    public ClientAddress Client;
    public ushort ClientPort;
    public Transport Transport;
    public RecordType QType;
    public ResponseCode Rcode;
    public bool HasClientSubnet;
    public ClientSubnetOption ClientSubnet;

    /// <summary>The ECS scope of the reply (RFC 7871 §7.2.1), not the query's.</summary>
    public byte ScopePrefix;

    public SteeredService? Service;
    public int Region;
    public SteeringReason Reason;

    /// <summary>Bytes of the question name (lower-cased wire form) at the start of the slot's payload.</summary>
    public int NameLength;
}
