using GslbDns.Steering.Policy;

namespace GslbDns.Load;

/// <summary>Fetches a region's load once; a seam so the poll schedule is tested without sockets.</summary>
public interface ILoadFetcher
{
    /// <summary>
    /// One poll of <paramref name="spec"/>'s source. Failures the source can name (refused, non-2xx,
    /// an unparseable body) come back as <see cref="LoadPollResult.Fail"/>; cancellation (the timeout)
    /// throws.
    /// </summary>
    Task<LoadPollResult> FetchAsync(LoadPullSpec spec, CancellationToken cancellation);
}

/// <summary>The real sources: HTTP(S) URLs and HAProxy agents.</summary>
public sealed class LoadFetcher : ILoadFetcher, IDisposable
{
    private readonly HttpLoadSource _http = new();

    public Task<LoadPollResult> FetchAsync(LoadPullSpec spec, CancellationToken cancellation) =>
        spec.Url is { } url ? _http.FetchAsync(url, spec.Backend, cancellation)
        : spec.Agent is { } agent ? AgentLoadSource.FetchAsync(agent, cancellation)
        : Task.FromResult(LoadPollResult.Fail("no source"));

    public void Dispose() => _http.Dispose();
}
