namespace Newsroom.IntegrationTests.Support;

/// <summary>
/// Waits for asynchronous work (a queue job, a rebuild) by polling what it should produce, with a ceiling
/// of minutes: the wait is bounded by the work, not by a guess of how fast a busy machine is. A timeout
/// fails with the last thing seen.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultCeiling = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Polls <paramref name="probe"/> until <paramref name="done"/> holds for its result, and returns that result.
    /// A probe that throws (a 503 from a host still busy, say) counts as "not yet".
    /// </summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? ceiling = null)
    {
        var deadline = DateTime.UtcNow + (ceiling ?? DefaultCeiling);
        var delay = TimeSpan.FromMilliseconds(50);
        string last;
        while (true)
        {
            try
            {
                var result = await probe();
                if (done(result))
                {
                    return result;
                }
                last = Describe(result);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                last = e.GetType().Name + ": " + e.Message;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {ceiling ?? DefaultCeiling}; last seen: {last}");
            }
            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string s => s.Length > 2000 ? s[..2000] + "…" : s,
        System.Text.Json.JsonElement e => Describe(e.GetRawText()),
        _ => value.ToString() ?? "",
    };
}
