namespace Newsroom.IntegrationTests.Support;

/// <summary>
/// Waits for asynchronous work (a queue job, a rebuild) by polling what it should produce, with a ceiling
/// of minutes: the wait is bounded by the work, not by a guess of how fast a busy machine is. A timeout
/// fails with the last thing seen.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultCeiling = TimeSpan.FromMinutes(3);

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds for its result, and returns that result.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? ceiling = null)
    {
        var deadline = DateTime.UtcNow + (ceiling ?? DefaultCeiling);
        var delay = TimeSpan.FromMilliseconds(50);
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {ceiling ?? DefaultCeiling}; last seen: {Describe(last)}");
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
