using Newsroom.LocalHost;

namespace Newsroom.IntegrationTests.EndToEnd;

/// <summary>
/// The local host as a developer runs it, started in-process on an ephemeral loopback port with its own
/// in-memory Azurite and the demo newspaper seeded; tests speak HTTP to it.
/// </summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    public const string FunctionKey = "e2e-test-function-key";

    private LocalHostApp _host = null!;

    public HttpClient Client { get; private set; } = null!;

    public LocalHostApp Host => _host;

    public async Task InitializeAsync()
    {
        _host = await LocalHostApp.CreateAsync(["--urls", "http://127.0.0.1:0"], new Dictionary<string, string?>
        {
            ["LocalHost:AzuriteInMemory"] = "true",
            ["LocalHost:FunctionKey"] = FunctionKey,
            ["Reader:CacheSeconds"] = "0",
        });
        await _host.StartAsync();
        Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
    }
}
