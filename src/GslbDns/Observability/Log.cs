using Microsoft.Extensions.Logging;

namespace GslbDns.Observability;

/// <summary>Every log message of the server, source-generated, each with its own event id.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Query handling failed; answered SERVFAIL")]
    public static partial void QueryFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Loaded zone {Zone} serial {Serial}, {Records} records from {File}")]
    public static partial void ZoneLoaded(ILogger logger, string zone, uint serial, int records, string file);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Zone file {File} rejected, last good version keeps serving:\n{Problems}")]
    public static partial void ZoneRejected(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Error, Message = "Zone file {File} rejected; the server does not start:\n{Problems}")]
    public static partial void ZoneRejectedAtStart(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Error, Message = "Zone file {File} rejected; it has no good version yet, so its zone is not served until the file is fixed:\n{Problems}")]
    public static partial void ZoneRejectedNotServed(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Zone {Zone} removed ({File} deleted)")]
    public static partial void ZoneRemoved(ILogger logger, string zone, string file);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Reloading zones ({Reason})")]
    public static partial void Reloading(ILogger logger, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Zone folder watcher error; falling back to the next full rescan")]
    public static partial void WatcherError(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Every region of {Service} is down or drained; answering with the first preference (fail-open)")]
    public static partial void SteeringFailedOpen(ILogger logger, string service);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Steering {Zone} with {Services} service(s) from {File}, GeoIP: {GeoIp}")]
    public static partial void SteeringLoaded(ILogger logger, string zone, int services, string file, string geoIp);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "Policy file {File} rejected, last good policy keeps serving:\n{Problems}")]
    public static partial void PolicyRejected(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Error, Message = "Policy file {File} rejected; the server does not start:\n{Problems}")]
    public static partial void PolicyRejectedAtStart(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Error, Message = "Policy file {File} rejected; it has no good version yet, so {Zone} is served without steering until the file is fixed:\n{Problems}")]
    public static partial void PolicyRejectedUnsteered(ILogger logger, string file, string zone, string problems);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Error, Message = "Admin state file {File} rejected; the overrides in force stay unchanged:\n{Problems}")]
    public static partial void AdminStateRejected(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 1208, Level = LogLevel.Error, Message = "Admin state file {File} rejected; the server does not start:\n{Problems}")]
    public static partial void AdminStateRejectedAtStart(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Admin state file {File}:\n{Problems}")]
    public static partial void AdminStateProblems(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "GeoIP databases changed ({GeoIp}); recompiling steering")]
    public static partial void GeoIpChanged(ILogger logger, string geoIp);

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "GeoIP: loaded {Database} with {Records} distinct records")]
    public static partial void GeoIpLoaded(ILogger logger, string database, int records);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "GeoIP: {Problem}; still using the copy loaded at {Built:u}")]
    public static partial void GeoIpRejectedKeepingOld(ILogger logger, string problem, DateTimeOffset built);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "GeoIP: {Problem}; not loaded")]
    public static partial void GeoIpRejected(ILogger logger, string problem);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "GeoIP: {Path} does not exist; no databases from it")]
    public static partial void GeoIpMissing(ILogger logger, string path);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Error, Message = "GeoIP: reload failed; still using {Databases}")]
    public static partial void GeoIpReloadFailed(ILogger logger, Exception exception, string databases);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "GeoIP: file watching failed for {Folder}; relying on polling")]
    public static partial void GeoIpWatchFailed(ILogger logger, Exception exception, string folder);

    [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "Health: {Endpoint} ({Service} region {Region}) {Old} -> {New}: {Reason}")]
    public static partial void HealthChanged(ILogger logger, string endpoint, string service, string region, string old, string @new, string reason);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Health: checking {Checks} address(es) of {Regions} region(s)")]
    public static partial void HealthChecking(ILogger logger, int checks, int regions);

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "API listening on {Address}")]
    public static partial void ApiListening(ILogger logger, string address);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "API tokens: {Count} token(s) from {File} ({Names})")]
    public static partial void ApiTokensLoaded(ILogger logger, int count, string file, string names);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Error, Message = "API tokens file {File} rejected; the tokens in force stay unchanged:\n{Problems}")]
    public static partial void ApiTokensRejected(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "API tokens file {File} is gone; every write request is refused until it is back")]
    public static partial void ApiTokensRemoved(ILogger logger, string file);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Warning, Message = "API tokens: reading {File} failed; the tokens in force stay unchanged")]
    public static partial void ApiTokensReadFailed(ILogger logger, Exception exception, string file);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Warning, Message = "API: {Method} {Path} from {Remote} refused ({Status}): {Reason} ({Suppressed} more refusals not logged since the last)")]
    public static partial void ApiRefused(ILogger logger, string method, string path, string remote, int status, string reason, int suppressed);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Warning, Message = "API: {Region} {Action} by token {Token}")]
    public static partial void ApiDrainChanged(ILogger logger, string region, string action, string token);

    [LoggerMessage(EventId = 1507, Level = LogLevel.Error, Message = "API drains: {File} cannot be read ({Reason}); starting with no API drains, the file is kept as {Aside}")]
    public static partial void ApiDrainsCorrupt(ILogger logger, string file, string reason, string aside);

    [LoggerMessage(EventId = 1508, Level = LogLevel.Information, Message = "API drains: {Count} region(s) drained from {File} ({Regions})")]
    public static partial void ApiDrainsLoaded(ILogger logger, int count, string file, string regions);

    [LoggerMessage(EventId = 1509, Level = LogLevel.Debug, Message = "API: load report for {Region} from token {Token}")]
    public static partial void ApiLoadReported(ILogger logger, string region, string token);

    [LoggerMessage(EventId = 1510, Level = LogLevel.Error, Message = "API: {Method} {Path} failed")]
    public static partial void ApiFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 1700, Level = LogLevel.Information, Message = "Pulling the load of {Regions} region(s) ({Started} started, {Stopped} stopped)")]
    public static partial void LoadPulling(ILogger logger, int regions, int started, int stopped);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "Load of {Region} from {Source} failing: {Reason}; its last report counts until its ttl ({Ttl}) runs out, then the region's load is unknown")]
    public static partial void LoadPullFailing(ILogger logger, string region, string source, string reason, string ttl);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Information, Message = "Load of {Region} from {Source} answers again")]
    public static partial void LoadPullRecovered(ILogger logger, string region, string source);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "Load agent of {Region} ({Source}) says '{Word}': the region is drained")]
    public static partial void LoadAgentDrain(ILogger logger, string region, string source, string word);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Warning, Message = "Load agent of {Region} ({Source}) says '{Word}' (cannot serve): the region is drained")]
    public static partial void LoadAgentDown(ILogger logger, string region, string source, string word);

    [LoggerMessage(EventId = 1705, Level = LogLevel.Information, Message = "Load agent of {Region} ({Source}) says '{Word}': its drain is cleared")]
    public static partial void LoadAgentUp(ILogger logger, string region, string source, string word);

    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "Response rate limiting: {Responses}/s per client block (/{PrefixV4}, /{PrefixV6}), NXDOMAIN {Nxdomains}/s, errors {Errors}/s, window {Window} s, slip {Slip}{Mode}")]
    public static partial void RrlEnabled(ILogger logger, int responses, int prefixV4, int prefixV6, int nxdomains, int errors, int window, int slip, string mode);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "Rate limit {Action} responses to {Block} ({Class}, e.g. {Name}); {Suppressed} more limited responses since the last report")]
    public static partial void RrlLimited(ILogger logger, string action, string block, string @class, string name, int suppressed);

    [LoggerMessage(EventId = 2500, Level = LogLevel.Information, Message = "Transferred zone {Zone} serial {Serial} to {Client}: {Records} records in {Messages} message(s), {Key}")]
    public static partial void TransferSent(ILogger logger, string zone, uint serial, string client, int records, int messages, string key);

    [LoggerMessage(EventId = 2501, Level = LogLevel.Warning, Message = "Zone transfer of {Zone} to {Client} refused: {Reason}")]
    public static partial void TransferRefused(ILogger logger, string zone, string client, string reason);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Error, Message = "Zone transfer to {Client} failed")]
    public static partial void TransferFailed(ILogger logger, string client, Exception exception);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Information, Message = "Transfer rules from {File}: {Zones}")]
    public static partial void TransferRulesLoaded(ILogger logger, string file, string zones);

    [LoggerMessage(EventId = 2504, Level = LogLevel.Error, Message = "Transfer file {File} rejected, the last good rules stay in force:\n{Problems}")]
    public static partial void TransferRulesRejected(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 2505, Level = LogLevel.Error, Message = "Transfer file {File} rejected; the server does not start:\n{Problems}")]
    public static partial void TransferRulesRejectedAtStart(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 2510, Level = LogLevel.Information, Message = "NOTIFY for {Zone} serial {Serial} acknowledged by {Secondary}")]
    public static partial void NotifyAcknowledged(ILogger logger, string zone, uint serial, string secondary);

    [LoggerMessage(EventId = 2511, Level = LogLevel.Warning, Message = "NOTIFY for {Zone} serial {Serial} to {Secondary}: {Problem}; try {Try} of {Tries}")]
    public static partial void NotifyRetrying(ILogger logger, string zone, uint serial, string secondary, string problem, int @try, int tries);

    [LoggerMessage(EventId = 2512, Level = LogLevel.Error, Message = "NOTIFY for {Zone} serial {Serial} to {Secondary} gave up after {Tries} tries")]
    public static partial void NotifyGaveUp(ILogger logger, string zone, uint serial, string secondary, int tries);

    [LoggerMessage(EventId = 2513, Level = LogLevel.Warning, Message = "NOTIFY for {Zone} serial {Serial} to {Secondary}: a reply is not an acknowledgement ({Problem}); retrying on schedule (further rejected replies for this serial are not logged)")]
    public static partial void NotifyReplyRejected(ILogger logger, string zone, uint serial, string secondary, string problem);

    [LoggerMessage(EventId = 2514, Level = LogLevel.Debug, Message = "NOTIFY for {Zone} serial {Serial} to {Secondary}: {Problem}; try {Try} of {Tries}")]
    public static partial void NotifyRetryingAgain(ILogger logger, string zone, uint serial, string secondary, string problem, int @try, int tries);

    [LoggerMessage(EventId = 2515, Level = LogLevel.Error, Message = "NOTIFY for {Zone} to {Secondary} not sent: none of its keys ({Keys}) is in the TSIG key file now; it is sent again when the zone changes")]
    public static partial void NotifyKeyMissing(ILogger logger, string zone, string secondary, string keys);

    [LoggerMessage(EventId = 2520, Level = LogLevel.Information, Message = "TSIG keys from {File}: {Names}")]
    public static partial void TsigKeysLoaded(ILogger logger, string file, string names);

    [LoggerMessage(EventId = 2521, Level = LogLevel.Information, Message = "TSIG keys reloaded: {Names} (from {File})")]
    public static partial void TsigKeysReloaded(ILogger logger, string names, string file);

    [LoggerMessage(EventId = 2522, Level = LogLevel.Error, Message = "TSIG key file {File} rejected; the keys in force stay unchanged:\n{Problems}")]
    public static partial void TsigKeysRejected(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 2523, Level = LogLevel.Warning, Message = "TSIG keys: reading {File} failed; the keys in force stay unchanged")]
    public static partial void TsigKeysReadFailed(ILogger logger, Exception exception, string file);

    [LoggerMessage(EventId = 2524, Level = LogLevel.Warning, Message = "Transfer rules in force name TSIG keys that are no longer in the key file: {Keys}; requests signed with them get BADKEY, the rules stay until transfer.yaml is fixed")]
    public static partial void TransferRulesNameMissingKeys(ILogger logger, string keys);

    [LoggerMessage(EventId = 2410, Level = LogLevel.Information, Message = "Cookie secrets: {Count} secret(s) from {File}, the first signs")]
    public static partial void CookieSecretsLoaded(ILogger logger, int count, string file);

    [LoggerMessage(EventId = 2411, Level = LogLevel.Information, Message = "Cookie secrets reloaded: {Count} secret(s) from {File}, the first signs, all verify")]
    public static partial void CookieSecretsReloaded(ILogger logger, int count, string file);

    [LoggerMessage(EventId = 2412, Level = LogLevel.Error, Message = "Cookie secret file {File} rejected; the secrets in force stay unchanged:\n{Problems}")]
    public static partial void CookieSecretsRejected(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 2413, Level = LogLevel.Warning, Message = "Cookie secrets: reading {File} failed; the secrets in force stay unchanged")]
    public static partial void CookieSecretsReadFailed(ILogger logger, Exception exception, string file);

    [LoggerMessage(EventId = 2600, Level = LogLevel.Information, Message = "Cluster: instance {Instance} shares state under {Prefix} through etcd at {Endpoints}")]
    public static partial void ClusterStarting(ILogger logger, string instance, string prefix, string endpoints);

    [LoggerMessage(EventId = 2601, Level = LogLevel.Warning, Message = "Cluster: etcd unreachable ({Problem}); answering on with the last drains and load reports seen; health goes by this instance's own checks after {StaleAfter}")]
    public static partial void ClusterStoreDown(ILogger logger, string problem, string staleAfter);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Warning, Message = "Cluster: etcd unreachable for {StaleAfter}: the other instances' health votes are set aside, health goes by this instance's own checks")]
    public static partial void ClusterStoreStale(ILogger logger, string staleAfter);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Information, Message = "Cluster: etcd reachable; state read again and watched, health votes and drains shared")]
    public static partial void ClusterStoreUp(ILogger logger);

    [LoggerMessage(EventId = 2604, Level = LogLevel.Information, Message = "Cluster: drains from etcd: {Regions}")]
    public static partial void ClusterDrainsApplied(ILogger logger, string regions);

    [LoggerMessage(EventId = 2605, Level = LogLevel.Warning, Message = "Cluster: the drains seen in etcd could not be saved to {File}: {Problem}; they apply until the next restart")]
    public static partial void ClusterDrainsNotSaved(ILogger logger, string file, string problem);

    [LoggerMessage(EventId = 2606, Level = LogLevel.Debug, Message = "Cluster: etcd call failed at {Endpoint}: {Problem}")]
    public static partial void ClusterCallFailed(ILogger logger, string endpoint, string problem);

    [LoggerMessage(EventId = 2700, Level = LogLevel.Information, Message = "Memory: program pages used only at start handed back to the kernel; resident {BeforeKiB} KiB before, {AfterKiB} KiB after")]
    public static partial void ProgramPagesReleased(ILogger logger, long beforeKiB, long afterKiB);
}
