using System.Text.Json;
using System.Text.Json.Serialization;

namespace GslbDns.Api;

/// <summary>The body of <c>GET /api/v1/status</c>: every steered service with its regions' health, overrides, load and answers.</summary>
/// <param name="Cluster">Clustered (<c>--cluster-etcd</c>): the shared store and the members; null alone.</param>
public sealed record StatusDocument(DateTimeOffset Time, IReadOnlyList<ServiceStatus> Services, Cluster.ClusterView? Cluster = null);

/// <param name="AnswersLastMinute">Steered answers of the service over the last minute, all regions together.</param>
/// <param name="AnswerSeriesSeconds">The length of one interval of each region's <c>answerSeries</c>.</param>
public sealed record ServiceStatus(
    string Service,
    string Zone,
    bool Degraded,
    LoadPolicyView LoadPolicy,
    long AnswersLastMinute,
    IReadOnlyList<RegionStatusView> Regions,
    double AnswerSeriesSeconds = 0);

/// <summary>The service's <c>load</c> block: where shedding starts and is full, where shed clients go, how long a report counts.</summary>
public sealed record LoadPolicyView(double ShedStart, double ShedFull, string Spill, double ReportTtlSeconds);

/// <param name="Health">The region as a whole: up, down or unknown.</param>
/// <param name="Admin">The override in force: active, drain or down.</param>
/// <param name="AnswerShare">The region's share of the service's answers over the last minute (0 when there were none).</param>
/// <param name="Addresses">Each address with its verdict, since when, and the last probe's result and latency.</param>
/// <param name="Location">Where the policy places the region; null when it gives no location.</param>
/// <param name="AnswerSeries">Answers steered to the region in each interval of the last five minutes, oldest first (the last is the one running).</param>
public sealed record RegionStatusView(
    string Region,
    string Target,
    string Health,
    string Admin,
    AdminSourcesView AdminSources,
    RegionLoadView Load,
    long AnswersLastMinute,
    double AnswerShare,
    IReadOnlyList<AddressHealthView> Addresses,
    LocationView? Location = null,
    IReadOnlyList<long>? AnswerSeries = null);

/// <summary>A point in decimal degrees, as the policy's <c>location: [latitude, longitude]</c>.</summary>
public sealed record LocationView(double Latitude, double Longitude);

/// <param name="File">What zones/admin-state.yaml says: active, drain or down.</param>
/// <param name="Api">Drained over the API.</param>
/// <param name="Agent">Drained by the region's pulled HAProxy agent check (<c>drain</c>, <c>maint</c>, <c>down</c>).</param>
public sealed record AdminSourcesView(string File, bool Api, bool Agent = false);

/// <summary>Load as steering uses it now, and the last report received.</summary>
/// <param name="Known">A valid report is in force; otherwise the load is unknown and the region counts as idle.</param>
/// <param name="Ratio">max(cpu, memory, connections / capacity) of the report in force.</param>
/// <param name="ShedShare">The share of the region's client networks sent elsewhere (0 to 1).</param>
/// <param name="Spare">capacity × (1 − load), what spill by capacity divides by.</param>
/// <param name="Report">The last report, also one that has expired; null when none came.</param>
/// <param name="Pull">Where the server polls the region's load itself; null when the region pushes.</param>
public sealed record RegionLoadView(bool Known, double? Ratio, double ShedShare, double? Spare, LoadReportView? Report, LoadPullView? Pull = null);

/// <param name="Source"><c>pull URL</c> or <c>agent host:port</c>.</param>
/// <param name="IntervalSeconds">Time between polls.</param>
/// <param name="Failing">The last poll failed (the last report then runs out by its ttl).</param>
/// <param name="Polls">Polls made since the poller started.</param>
public sealed record LoadPullView(string Source, double IntervalSeconds, bool Failing, int Polls);

/// <param name="AgeSeconds">Seconds since it arrived.</param>
/// <param name="State">valid or expired.</param>
/// <param name="Source">Who sent it: <c>api TOKEN</c>, or the pull source.</param>
/// <param name="Utilization">A load figure of its own, 0 to 1 (what a pulled agent check's percentage gives).</param>
public sealed record LoadReportView(
    double? Cpu,
    double? Memory,
    long? Connections,
    long? Capacity,
    double? Utilization,
    double? Ratio,
    DateTimeOffset Received,
    double AgeSeconds,
    bool Valid,
    string State,
    string Source);

/// <summary>The body of a drain or undrain: the region's override after the change.</summary>
public sealed record AdminStateView(string Service, string Region, string Admin, AdminSourcesView Sources);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StatusDocument))]
[JsonSerializable(typeof(AdminStateView))]
public sealed partial class StatusJsonContext : JsonSerializerContext;
