using Newsroom.LocalHost;

namespace Newsroom.IntegrationTests.Support;

/// <summary>Starts local hosts for end-to-end tests: on an ephemeral loopback port, started before it is returned.</summary>
public static class TestLocalHost
{
    /// <summary>
    /// Storage deadlines for hosts whose tests are not about deadlines. The production defaults (3 s for a
    /// read, 10 s for a write) are for storage that stalls; on a 2-core machine running every test at once,
    /// a healthy Azurite can take longer than that, and a 503 there would say nothing about the code.
    /// Likewise a request holding a stale copy waits for its revalidation as long as that takes, not the
    /// production half second, so a test reads what storage says now. StorageStallTests keeps the defaults.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> BusyMachineDeadlines = new Dictionary<string, string?>
    {
        ["NewsroomStorage:ReadDeadlineSeconds"] = "60",
        ["NewsroomStorage:WriteDeadlineSeconds"] = "120",
        ["Reader:StaleWaitMilliseconds"] = "10000",
    };

    /// <param name="settings">Settings over everything else.</param>
    /// <param name="args">More of the command line (such as --no-seed).</param>
    public static async Task<LocalHostApp> StartAsync(IDictionary<string, string?> settings, params string[] args)
    {
        var host = await LocalHostApp.CreateAsync(["--urls", "http://127.0.0.1:0", .. args], settings);
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client as a reader's or an editor's: redirects not followed, a ceiling far above any answer's time.</summary>
    public static HttpClient ClientFor(LocalHostApp host) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
}
