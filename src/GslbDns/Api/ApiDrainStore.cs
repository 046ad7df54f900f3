using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GslbDns.Configuration;
using GslbDns.Observability;
using GslbDns.Steering.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GslbDns.Api;

/// <summary>
/// The drains set over the API, persisted in <c>STATE_DIR/drains.json</c> so they survive a restart.
/// Loaded before the zones (the first answers already honour them); each change is written first
/// (temp file, fsync, rename) and applied to the state store only once it is on disk, so a change
/// that could not be saved changes nothing. A drain of a region that leaves the policy stays in
/// the file: it is the operator's word, and applies again if the region comes back.
/// </summary>
public sealed class ApiDrainStore : IHostedService
{
    public const string FileName = "drains.json";

    private readonly RegionStateStore _state;
    private readonly TimeProvider _time;
    private readonly ILogger<ApiDrainStore> _logger;
    private readonly object _gate = new();
    private Dictionary<RegionKey, DrainEntry> _drains = [];

    public ApiDrainStore(ServerOptions options, RegionStateStore state, TimeProvider time, ILogger<ApiDrainStore> logger)
    {
        Folder = ServerOptionsValidator.StateDir(options);
        _state = state;
        _time = time;
        _logger = logger;
    }

    public string Folder { get; }

    public string FilePath => Path.Combine(Folder, FileName);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Load();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Reads the file; a corrupt one is logged and set aside, and the server starts with no API drains.</summary>
    public void Load()
    {
        lock (_gate)
        {
            _drains = [];
            if (File.Exists(FilePath))
            {
                string? problem = null;
                try
                {
                    var file = JsonSerializer.Deserialize(File.ReadAllBytes(FilePath), StateJsonContext.Default.DrainsFile);
                    if (file?.Drains is null) problem = "no drains list";
                    else
                    {
                        foreach (var entry in file.Drains)
                        {
                            if (entry?.Service is null || string.IsNullOrEmpty(entry.Region)
                                || !DnsName.TryParse(entry.Service.TrimEnd('.') + ".", null, out var name, out _))
                            {
                                problem = "an entry without a valid service and region";
                                break;
                            }
                            _drains[new RegionKey(name, entry.Region)] = entry;
                        }
                    }
                }
                catch (JsonException e)
                {
                    problem = e.Message;
                }
                if (problem is not null)
                {
                    _drains = [];
                    string aside = FilePath + ".corrupt-" + _time.GetUtcNow().ToString("yyyyMMddTHHmmssZ", CultureInfo.InvariantCulture);
                    try
                    {
                        File.Move(FilePath, aside, overwrite: true);
                    }
                    catch (IOException)
                    {
                        aside = FilePath + " (could not be renamed)";
                    }
                    Log.ApiDrainsCorrupt(_logger, FilePath, problem, aside);
                }
                else if (_drains.Count > 0)
                {
                    Log.ApiDrainsLoaded(_logger, _drains.Count, FilePath, string.Join(", ", _drains.Keys.Select(Text)));
                }
            }
            _state.SetApiDrains(_drains.Keys, FileName);
        }
    }

    public bool IsDrained(RegionKey region)
    {
        lock (_gate) return _drains.ContainsKey(region);
    }

    /// <summary>Drains or undrains <paramref name="region"/>; throws <see cref="IOException"/> (and changes nothing) when the file cannot be written.</summary>
    public void Set(RegionKey region, bool drained, string by)
    {
        lock (_gate)
        {
            var next = new Dictionary<RegionKey, DrainEntry>(_drains);
            if (drained)
            {
                if (next.ContainsKey(region)) return;
                next[region] = new DrainEntry(region.Service.ToString().TrimEnd('.'), region.Region, _time.GetUtcNow(), by);
            }
            else if (!next.Remove(region))
            {
                return;
            }
            Write(next.Values.OrderBy(e => e.Service, StringComparer.Ordinal).ThenBy(e => e.Region, StringComparer.Ordinal).ToList());
            _drains = next;
            _state.SetApiDrains(_drains.Keys, by);
        }
    }

    /// <summary>
    /// Replaces every API drain with the set shared by the cluster (clustered, the shared store is
    /// the authority), and saves it here too, so a restart while the store is unreachable keeps the
    /// drains last seen. Returns whether anything changed.
    /// </summary>
    /// <exception cref="IOException">The file could not be written; the drains apply all the same.</exception>
    public bool Replace(IReadOnlyCollection<DrainEntry> entries, string by)
    {
        lock (_gate)
        {
            var next = new Dictionary<RegionKey, DrainEntry>();
            foreach (var entry in entries)
            {
                if (DnsName.TryParse(entry.Service.TrimEnd('.') + ".", null, out var name, out _)) next[new RegionKey(name, entry.Region)] = entry;
            }
            if (next.Count == _drains.Count && next.Keys.All(_drains.ContainsKey)) return false;
            // Saved first, as every change is, but applied even when it cannot be: etcd holds it.
            Exception? failed = null;
            try
            {
                Write(next.Values.OrderBy(e => e.Service, StringComparer.Ordinal).ThenBy(e => e.Region, StringComparer.Ordinal).ToList());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failed = e;
            }
            _drains = next;
            _state.SetApiDrains(_drains.Keys, by);
            if (failed is not null) throw new IOException(failed.Message, failed);
            return true;
        }
    }

    /// <summary>The drains in force, as the file keeps them.</summary>
    public IReadOnlyList<DrainEntry> Entries()
    {
        lock (_gate) return _drains.Values.ToArray();
    }

    private void Write(List<DrainEntry> entries)
    {
        Directory.CreateDirectory(Folder);
        string temp = FilePath + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, new DrainsFile(entries), StateJsonContext.Default.DrainsFile);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, FilePath, overwrite: true);
    }

    private static string Text(RegionKey key) => $"{key.Service.ToString().TrimEnd('.')}/{key.Region}";
}

/// <summary>The drains file: <c>{"drains":[{"service":"www.example.com","region":"eu","since":"...","by":"ops"}]}</c>.</summary>
public sealed record DrainsFile(List<DrainEntry> Drains);

/// <param name="By">The name of the token that drained it.</param>
public sealed record DrainEntry(string Service, string Region, DateTimeOffset Since, string By);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(DrainsFile))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
