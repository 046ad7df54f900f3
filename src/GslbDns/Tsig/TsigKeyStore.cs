namespace GslbDns.Tsig;

/// <summary>
/// The one reference to the TSIG keys in force. A reload builds a whole new immutable
/// <see cref="TsigKeyring"/> and publishes it with one write; the query path, transfers and NOTIFY
/// read it once per message and never lock, so a message is checked against one version only.
/// </summary>
public sealed class TsigKeyStore(TsigKeyring initial)
{
    private volatile TsigKeyring _current = initial;

    public TsigKeyring Current => _current;

    public void Publish(TsigKeyring keys) => _current = keys;
}
