namespace GslbDns.Protocol;

/// <summary>RCODE values; values above 15 live partly in the OPT record (RFC 6891 §6.1.3).</summary>
public enum ResponseCode : ushort
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NXDomain = 3,
    NotImp = 4,
    Refused = 5,
    /// <summary>RFC 8945 §5.2: a TSIG that does not verify (BADKEY, BADSIG, BADTIME in the TSIG record's error).</summary>
    NotAuth = 9,
    BadVers = 16,

    /// <summary>RFC 7873 §8: a server cookie that is not ours, answered so only when the query is otherwise limited.</summary>
    BadCookie = 23,
}
