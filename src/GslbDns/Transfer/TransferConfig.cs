using GslbDns.Tsig;

namespace GslbDns.Transfer;

/// <summary>
/// The transfer settings in force: the TSIG keys of <c>--tsig-keys</c> (read at start) and the rules
/// of <c>zones/transfer.yaml</c>, replaced as a whole on each zone reload.
/// </summary>
public sealed class TransferConfig
{
    private volatile TransferRules _rules = TransferRules.None;

    public TransferConfig(TsigKeyring keys)
    {
        Keys = keys;
    }

    public TsigKeyring Keys { get; }

    public TransferRules Rules => _rules;

    public void Publish(TransferRules rules) => _rules = rules;
}
