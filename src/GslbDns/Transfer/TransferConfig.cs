using GslbDns.Tsig;

namespace GslbDns.Transfer;

/// <summary>
/// The transfer settings in force: the TSIG keys of <c>--tsig-keys</c> (re-read on change, see
/// <see cref="TsigKeyFileService"/>) and the rules of <c>zones/transfer.yaml</c>, replaced as a
/// whole on each zone reload and after each key change. Both are read through one reference each.
/// </summary>
public sealed class TransferConfig
{
    private readonly TsigKeyStore _keys;
    private volatile TransferRules _rules = TransferRules.None;

    public TransferConfig(TsigKeyStore keys)
    {
        _keys = keys;
    }

    public TransferConfig(TsigKeyring keys) : this(new TsigKeyStore(keys))
    {
    }

    /// <summary>The keys in force now; read it once per message.</summary>
    public TsigKeyring Keys => _keys.Current;

    public TransferRules Rules => _rules;

    public void Publish(TransferRules rules) => _rules = rules;
}
