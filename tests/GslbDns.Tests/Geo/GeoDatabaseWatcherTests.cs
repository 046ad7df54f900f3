using GslbDns.Steering.Geo;
using Microsoft.Extensions.Logging;
using static GslbDns.Tests.Geo.GeoFixtures;

namespace GslbDns.Tests.Geo;

public sealed class GeoDatabaseWatcherTests
{
    /// <summary>Collects log entries so tests can assert what an operator would see.</summary>
    private sealed class RecordingLogger : ILogger<GeoDatabaseWatcher>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, formatter(state, exception)));
            }
        }

        public bool Has(LogLevel level, string text)
        {
            lock (Entries)
            {
                return Entries.Any(e => e.Level == level && e.Message.Contains(text));
            }
        }
    }

    /// <summary>Keeps file events from reloading behind the test's back where it calls Reload itself.</summary>
    private static readonly TimeSpan ExplicitOnly = TimeSpan.FromHours(1);

    /// <summary>
    /// For tests of reloads nobody asks for: file events, with a short poll behind them as in production
    /// (the runtime's shared inotify reader can stop delivering events in a process that has had many
    /// watchers come and go, dotnet/runtime#133420, and a test host is such a process).
    /// </summary>
    private static GeoDatabaseSources Unattended(GeoDatabaseSources sources) =>
        sources with { Debounce = TimeSpan.FromMilliseconds(50), PollInterval = TimeSpan.FromSeconds(1) };

    private static string CountryAt(GeoDatabaseSet set, string address) => set.Lookup(Address(address)).Country ?? "-";

    private static void ReplaceAtomically(string target, Action<string> write)
    {
        var temporary = target + ".new";
        write(temporary);
        File.Move(temporary, target, overwrite: true);
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            Thread.Sleep(20);
        }
    }

    [Fact]
    public void Start_LoadsEveryMmdbInFolderByName()
    {
        using var dir = new TempDirectory();
        Write(Path.Combine(dir.Path, "b-asn.mmdb"), "Test-ASN", ("81.2.69.0/24", Asn(20712, "AAISP")));
        Write(Path.Combine(dir.Path, "a-city.mmdb"), "Test-City", ("81.2.69.0/24", Country("GB")));
        File.WriteAllText(Path.Combine(dir.Path, "notes.txt"), "ignored");
        using var watcher = new GeoDatabaseWatcher(new GeoDatabaseSources(["."]) { Debounce = ExplicitOnly }, dir.Path, new RecordingLogger());

        watcher.Start();

        Assert.Equal(["a-city.mmdb", "b-asn.mmdb"], watcher.Current.Databases.Select(d => Path.GetFileName(d.Path)));
        var facts = watcher.Current.Lookup(Address("81.2.69.1"));
        Assert.Equal(("GB", 20712u), (facts.Country, facts.Asn));
    }

    [Fact]
    public void AtomicReplace_IsPickedUpWithoutAnExplicitReload()
    {
        using var dir = new TempDirectory();
        var path = Write(Path.Combine(dir.Path, "city.mmdb"), "Test-City", ("192.0.2.0/24", Country("US")));
        using var watcher = new GeoDatabaseWatcher(Unattended(new GeoDatabaseSources(["city.mmdb"])), dir.Path, new RecordingLogger());
        GeoDatabaseSet? announced = null;
        watcher.Changed += set => Volatile.Write(ref announced, set);
        watcher.Start();
        Volatile.Write(ref announced, null);
        Assert.Equal("US", CountryAt(watcher.Current, "192.0.2.1"));

        ReplaceAtomically(path, p => Write(p, "Test-City", ("192.0.2.0/24", Country("DE"))));

        WaitFor(() => Volatile.Read(ref announced) is not null, "the change event");
        Assert.Same(watcher.Current, announced);
        Assert.Equal("DE", CountryAt(watcher.Current, "192.0.2.1"));
    }

    [Fact]
    public void ReplacementOfTheSameSize_WithinOneClockTick_IsReloaded()
    {
        using var dir = new TempDirectory();
        var path = Write(Path.Combine(dir.Path, "city.mmdb"), "Test-City", ("192.0.2.0/24", Country("US")));
        var stamp = File.GetLastWriteTimeUtc(path);
        long length = new FileInfo(path).Length;
        using var watcher = new GeoDatabaseWatcher(new GeoDatabaseSources(["city.mmdb"]) { Debounce = ExplicitOnly }, dir.Path, new RecordingLogger());
        watcher.Start();

        // Same size and, as the kernel's coarse file clock can make it, the same modification time.
        ReplaceAtomically(path, p => Write(p, "Test-City", ("192.0.2.0/24", Country("DE"))));
        File.SetLastWriteTimeUtc(path, stamp);
        Assert.Equal(length, new FileInfo(path).Length);

        Assert.True(watcher.Reload());
        Assert.Equal("DE", CountryAt(watcher.Current, "192.0.2.1"));
    }

    [Fact]
    public void InPlaceRewrite_IsReloaded()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "geoip"));
        var path = Write(Path.Combine(dir.Path, "geoip", "city.mmdb"), "Test-City", ("192.0.2.0/24", Country("US")));
        using var watcher = new GeoDatabaseWatcher(GeoDatabaseSources.Default with { InMemory = true, Debounce = ExplicitOnly }, dir.Path, new RecordingLogger());
        watcher.Start();
        var before = watcher.Current;

        Rewrite(path, "Test-City", ("192.0.2.0/24", Country("JP")), ("198.51.100.0/24", Country("JP")));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5)); // coarse clocks: make the rewrite visible

        Assert.True(watcher.Reload());
        Assert.Equal("JP", CountryAt(watcher.Current, "192.0.2.1"));
        Assert.Equal("JP", CountryAt(watcher.Current, "198.51.100.1"));
        Assert.NotSame(before, watcher.Current);
    }

    [Fact]
    public void CorruptReplacement_KeepsServingOldCopyAndLogs()
    {
        using var dir = new TempDirectory();
        var path = Write(Path.Combine(dir.Path, "city.mmdb"), "Test-City", ("192.0.2.0/24", Country("US")));
        var logger = new RecordingLogger();
        using var watcher = new GeoDatabaseWatcher(new GeoDatabaseSources(["city.mmdb"]) { Debounce = ExplicitOnly }, dir.Path, logger);
        var changes = 0;
        watcher.Changed += _ => changes++;
        watcher.Start();
        var before = watcher.Current;
        changes = 0;

        ReplaceAtomically(path, p => File.WriteAllText(p, "garbage, not a MaxMind DB"));

        Assert.False(watcher.Reload());
        Assert.Same(before, watcher.Current);
        Assert.Equal(0, changes);
        Assert.Equal("US", CountryAt(watcher.Current, "192.0.2.1"));
        Assert.True(logger.Has(LogLevel.Error, "city.mmdb"), "error naming the file");
        Assert.True(logger.Has(LogLevel.Error, "still using the copy"));

        ReplaceAtomically(path, p => Write(p, "Test-City", ("192.0.2.0/24", Country("SE"))));

        Assert.True(watcher.Reload());
        Assert.Equal("SE", CountryAt(watcher.Current, "192.0.2.1"));
        Assert.Equal(1, changes);
    }

    [Fact]
    public void AddedAndRemovedFiles_ChangeTheSet()
    {
        using var dir = new TempDirectory();
        Write(Path.Combine(dir.Path, "a.mmdb"), "Test-City", ("192.0.2.0/24", Country("US")));
        using var watcher = new GeoDatabaseWatcher(new GeoDatabaseSources(["."]) { Debounce = ExplicitOnly }, dir.Path, new RecordingLogger());
        watcher.Start();

        var added = Write(Path.Combine(dir.Path, "b.mmdb"), "Test-ASN", ("192.0.2.0/24", Asn(64496, "Example")));
        Assert.True(watcher.Reload());
        Assert.Equal(64496u, watcher.Current.Lookup(Address("192.0.2.1")).Asn);

        File.Delete(added);
        Assert.True(watcher.Reload());
        Assert.Single(watcher.Current.Databases);
        Assert.Null(watcher.Current.Lookup(Address("192.0.2.1")).Asn);
    }

    [Fact]
    public void CorruptFileAtStart_IsSkippedAndReportedOnce()
    {
        using var dir = new TempDirectory();
        Write(Path.Combine(dir.Path, "good.mmdb"), "Test-City", ("192.0.2.0/24", Country("US")));
        File.WriteAllText(Path.Combine(dir.Path, "bad.mmdb"), "nope");
        var logger = new RecordingLogger();
        using var watcher = new GeoDatabaseWatcher(new GeoDatabaseSources(["."]) { Debounce = ExplicitOnly }, dir.Path, logger);

        watcher.Start();
        watcher.Reload();

        Assert.Equal(["good.mmdb"], watcher.Current.Databases.Select(d => Path.GetFileName(d.Path)));
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("bad.mmdb"));
    }

    [Fact]
    public void MissingFolder_EmptySetAndOneWarningUntilItAppears()
    {
        using var dir = new TempDirectory();
        var logger = new RecordingLogger();
        using var watcher = new GeoDatabaseWatcher(Unattended(GeoDatabaseSources.Default), dir.Path, logger);
        GeoDatabaseSet? announced = null;
        watcher.Changed += set => Volatile.Write(ref announced, set);

        watcher.Start();
        watcher.Reload();

        Assert.Empty(watcher.Current.Databases);
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("does not exist"));

        Directory.CreateDirectory(Path.Combine(dir.Path, "geoip"));
        Write(Path.Combine(dir.Path, "geoip", "city.mmdb"), "Test-City", ("192.0.2.0/24", Country("US")));

        // The folder's creation triggers a reload that loads the file and starts watching the folder.
        WaitFor(() => Volatile.Read(ref announced) is { Databases.Count: 1 }, "the new folder to be loaded");
        Assert.Equal("US", CountryAt(watcher.Current, "192.0.2.1"));
        Volatile.Write(ref announced, null);
        Write(Path.Combine(dir.Path, "geoip", "asn.mmdb"), "Test-ASN", ("192.0.2.0/24", Asn(64496, "Example")));
        WaitFor(() => Volatile.Read(ref announced) is { Databases.Count: 2 }, "a file added to the new folder");
    }
}
