using Newsroom.LocalHost.Azurite;

namespace Newsroom.IntegrationTests.Support;

/// <summary>
/// One in-memory Azurite for the whole test assembly, started on first use from the repo's own npm
/// package. Test classes keep apart by a unique name prefix. There is no skip: if Azurite cannot start,
/// every test that needs it fails with the reason.
/// </summary>
public static class SharedAzurite
{
    private static readonly Lazy<Task<AzuriteServer>> Server = new(StartAsync);

    public static Task<AzuriteServer> GetAsync() => Server.Value;

    private static async Task<AzuriteServer> StartAsync()
    {
        var server = await AzuriteServer.StartAsync(location: null);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }
}
