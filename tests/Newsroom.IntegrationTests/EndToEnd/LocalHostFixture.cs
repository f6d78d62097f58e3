using Newsroom.IntegrationTests.Support;
using Newsroom.LocalHost;
using Newsroom.Storage;

namespace Newsroom.IntegrationTests.EndToEnd;

/// <summary>
/// The local host as a developer runs it: it starts its own in-memory Azurite, runs the Functions app as its
/// own process and seeds the demo newspaper; tests speak HTTP to it on an ephemeral loopback port.
/// </summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    public const string FunctionKey = "e2e-test-function-key";

    public HttpClient Client { get; private set; } = null!;

    public LocalHostApp Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await TestLocalHost.StartAsync(new Dictionary<string, string?>(TestLocalHost.BusyMachineDeadlines)
        {
            ["LocalHost:AzuriteInMemory"] = "true",
            ["LocalHost:FunctionKey"] = FunctionKey,
            ["Reader:CacheSeconds"] = "0",
            ["Reader:SharedCacheSeconds"] = "0",
        });
        Client = TestLocalHost.ClientFor(Host);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>
/// A local host with no demo data on an account of the shared Azurite, caching as in production: for tests
/// that set up what they need themselves.
/// </summary>
public sealed class EmptyLocalHostFixture : IAsyncLifetime
{
    /// <summary>The editors' front end, on an origin of its own (CORS).</summary>
    public const string EditorOrigin = "https://toasoan.baothainguyen.example";

    public const long MaxPdfBytes = 1024 * 1024;

    public HttpClient Client { get; private set; } = null!;

    public LocalHostApp Host { get; private set; } = null!;

    /// <summary>The same storage, through Core, for arranging and inspecting it.</summary>
    public NewsroomTestHost Storage { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var account = await SharedAzurite.NewAccountAsync();
        Host = await TestLocalHost.StartAsync(new Dictionary<string, string?>(TestLocalHost.BusyMachineDeadlines)
        {
            ["LocalHost:Seed"] = "false",
            ["LocalHost:FunctionKey"] = LocalHostFixture.FunctionKey,
            ["LocalHost:CorsOrigins:0"] = EditorOrigin,
            // Small enough that an end-to-end test can send a PDF over it.
            ["Uploads:MaxPdfBytes"] = MaxPdfBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [StorageOptions.SectionName + ":ConnectionString"] = account,
            [StorageOptions.SectionName + ":CreateIfNotExists"] = "true",
            ["AzureWebJobsStorage"] = account,
        });
        Client = TestLocalHost.ClientFor(Host);
        Storage = await NewsroomTestHost.CreateAsync(connectionString: account);
        await Fixtures.SeedTaxonomyAsync(Storage);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Storage.DisposeAsync();
        await Host.DisposeAsync();
    }
}
