using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace GslbDns.Metrics;

/// <summary>
/// Writes the meter's instruments and the histograms in the Prometheus text exposition format
/// (version 0.0.4). The instruments are read the standard .NET way, through a
/// <see cref="MeterListener"/> that collects the observable instruments on each scrape. The
/// exposition is written here rather than by OpenTelemetry's Prometheus exporter because that
/// exporter (still beta) can only expose histograms recorded through <see cref="Histogram{T}"/>, whose
/// SDK aggregation takes a spin lock per record, and the query path takes no lock: the size histograms
/// are <see cref="BucketHistogram"/>s of striped cells instead, which no exporter knows.
/// </summary>
public sealed class PrometheusExposition : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly GslbDnsMeter _meter;
    private readonly MeterListener _listener = new();
    private readonly List<Instrument> _instruments = [];
    private readonly Lock _gate = new();
    private Dictionary<Instrument, List<(double Value, KeyValuePair<string, object?>[] Tags)>>? _collecting;

    public PrometheusExposition(GslbDnsMeter meter)
    {
        _meter = meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter, meter.Meter)) return;
            lock (_instruments) _instruments.Add(instrument);
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (_collecting is { } collecting && collecting.TryGetValue(instrument, out var list)) list.Add((value, tags.ToArray()));
        });
        _listener.Start();
    }

    /// <summary>One scrape's text.</summary>
    public string Write()
    {
        lock (_gate)
        {
            _meter.Refresh();
            Instrument[] instruments;
            lock (_instruments) instruments = [.. _instruments];
            _collecting = instruments.ToDictionary(i => i, _ => new List<(double, KeyValuePair<string, object?>[])>());
            try
            {
                _listener.RecordObservableInstruments();
                var text = new StringBuilder(16 * 1024);
                foreach (var instrument in instruments)
                {
                    bool counter = instrument is ObservableCounter<double>;
                    string name = counter ? instrument.Name + "_total" : instrument.Name;
                    Family(text, name, instrument.Description ?? "", counter ? "counter" : "gauge");
                    foreach (var (value, tags) in _collecting[instrument]) Sample(text, name, tags, null, value);
                }
                var queries = _meter.Queries;
                Histogram(text, "gslbdns_dns_request_size_bytes", "Size of DNS requests in bytes, by transport.", queries.RequestSizes,
                    [[new("proto", "udp")], [new("proto", "tcp")]]);
                Histogram(text, "gslbdns_dns_response_size_bytes", "Size of DNS responses in bytes, by transport.", queries.ResponseSizes,
                    [[new("proto", "udp")], [new("proto", "tcp")]]);
                Family(text, "gslbdns_probe_duration_seconds", "Duration of health probes, by check endpoint.", "histogram");
                foreach (var (labels, stats) in _meter.ProbeHistograms()) HistogramSeries(text, "gslbdns_probe_duration_seconds", stats.Durations, 0, labels);
                return text.ToString();
            }
            finally
            {
                _collecting = null;
            }
        }
    }

    private static void Histogram(StringBuilder text, string name, string help, BucketHistogram histogram, KeyValuePair<string, object?>[][] series)
    {
        Family(text, name, help, "histogram");
        for (int s = 0; s < series.Length; s++) HistogramSeries(text, name, histogram, s, series[s]);
    }

    private static void HistogramSeries(StringBuilder text, string name, BucketHistogram histogram, int series, KeyValuePair<string, object?>[] labels)
    {
        var (cumulative, sum, count) = histogram.Read(series);
        for (int i = 0; i <= histogram.Bounds.Count; i++)
        {
            string le = i < histogram.Bounds.Count ? Number(histogram.Bounds[i] * histogram.Scale) : "+Inf";
            Sample(text, name + "_bucket", labels, le, cumulative[i]);
        }
        Sample(text, name + "_sum", labels, null, sum);
        Sample(text, name + "_count", labels, null, count);
    }

    private static void Family(StringBuilder text, string name, string help, string type)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    private static void Sample(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, object?>> labels, string? le, double value)
    {
        text.Append(name);
        if (labels.Count > 0 || le is not null)
        {
            text.Append('{');
            bool first = true;
            foreach (var (key, label) in labels)
            {
                if (!first) text.Append(',');
                first = false;
                text.Append(key).Append("=\"");
                Escape(text, Convert.ToString(label, CultureInfo.InvariantCulture) ?? "");
                text.Append('"');
            }
            if (le is not null)
            {
                if (!first) text.Append(',');
                text.Append("le=\"").Append(le).Append('"');
            }
            text.Append('}');
        }
        text.Append(' ').Append(Number(value)).Append('\n');
    }

    /// <summary>Label values escape backslash, double quote and line feed (the text format's rule).</summary>
    private static void Escape(StringBuilder text, string value)
    {
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '"': text.Append("\\\""); break;
                case '\n': text.Append("\\n"); break;
                default: text.Append(c); break;
            }
        }
    }

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose() => _listener.Dispose();
}
