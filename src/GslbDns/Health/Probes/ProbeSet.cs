namespace GslbDns.Health.Probes;

/// <summary>
/// The probe for each check kind. <see cref="CheckKind.None"/> has none: such an address is not
/// probed and counts as up.
/// </summary>
public sealed class ProbeSet
{
    private readonly IHealthProbe?[] _byKind = new IHealthProbe?[Enum.GetValues<CheckKind>().Length];

    public ProbeSet(IEnumerable<IHealthProbe> probes)
    {
        foreach (var probe in probes)
        {
            if (probe.Kind == CheckKind.None) throw new ArgumentException("a probe for kind none", nameof(probes));
            ref var slot = ref _byKind[(int)probe.Kind];
            if (slot is not null) throw new ArgumentException($"two probes for kind {probe.Kind}", nameof(probes));
            slot = probe;
        }
    }

    /// <summary>tcp, http, https and dns, reading the clock from <paramref name="time"/>.</summary>
    public static ProbeSet CreateDefault(TimeProvider? time = null) => new(
    [
        new TcpProbe(time),
        new HttpProbe(CheckKind.Http, time),
        new HttpProbe(CheckKind.Https, time),
        new DnsProbe(time),
    ]);

    public bool TryGet(CheckKind kind, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IHealthProbe? probe)
    {
        probe = (int)kind < _byKind.Length ? _byKind[(int)kind] : null;
        return probe is not null;
    }
}
