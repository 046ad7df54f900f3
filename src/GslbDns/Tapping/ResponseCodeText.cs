namespace GslbDns.Tapping;

/// <summary>RCODE mnemonics as dig and the IANA registry spell them (RFC 6895 §2.3).</summary>
public static class ResponseCodeText
{
    public static string Of(ResponseCode rcode) => rcode switch
    {
        ResponseCode.NoError => "NOERROR",
        ResponseCode.FormErr => "FORMERR",
        ResponseCode.ServFail => "SERVFAIL",
        ResponseCode.NXDomain => "NXDOMAIN",
        ResponseCode.NotImp => "NOTIMP",
        ResponseCode.Refused => "REFUSED",
        ResponseCode.NotAuth => "NOTAUTH",
        ResponseCode.BadVers => "BADVERS",
        _ => "RCODE" + ((ushort)rcode).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
