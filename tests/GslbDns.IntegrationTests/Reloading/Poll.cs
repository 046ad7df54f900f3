namespace GslbDns.IntegrationTests.Reloading;

public static class Poll
{
    /// <summary>Retries until the condition holds or the deadline passes; no bare sleeps in tests.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < until)
        {
            if (await condition()) return;
            await Task.Delay(25);
        }
        Assert.Fail($"timed out waiting for: {what}");
    }
}
