using GslbDns.Pipeline;

namespace GslbDns.Tapping;

/// <summary>
/// What dnstap keeps of one query, copied on the query path: the endpoints, the two timestamps and
/// the lengths of the query and response bytes that follow in the slot's byte area.
/// </summary>
public struct DnstapRecord
{
    /// <summary>The length stands for bytes that did not fit the slot and were not kept.</summary>
    public const int NotKept = -1;

    public long Started;
    public long Finished;
    public ClientAddress Client;
    public ushort ClientPort;
    public ClientAddress Server;

    /// <summary>0 when the listener did not say where the query came to.</summary>
    public ushort ServerPort;
    public Transport Transport;

    /// <summary>Bytes of the query at the start of the payload, or <see cref="NotKept"/>.</summary>
    public int QueryLength;

    /// <summary>Bytes of the response after the query; 0 when the message was dropped unanswered, or <see cref="NotKept"/>.</summary>
    public int ResponseLength;
}
