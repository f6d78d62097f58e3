using Newsroom.LocalHost.Azurite;

namespace Newsroom.IntegrationTests.Support;

/// <summary>
/// One in-memory Azurite for the whole test assembly, started on first use from the repo's own npm
/// package, with many storage accounts: every test host gets an account of its own, so tests never see
/// each other's data and the code under test uses the real names of its tables, containers and queues.
/// There is no skip: if Azurite cannot start, every test that needs it fails with the reason.
/// </summary>
public static class SharedAzurite
{
    /// <summary>Accounts the server is started with; raise it if a run ever needs more.</summary>
    public const int Accounts = 600;

    private static readonly Lazy<Task<AzuriteServer>> Server = new(StartAsync);
    private static int _next;

    public static Task<AzuriteServer> GetAsync() => Server.Value;

    /// <summary>The connection string of an account no other test has used.</summary>
    public static async Task<string> NewAccountAsync()
    {
        var server = await GetAsync();
        var number = Interlocked.Increment(ref _next);
        return number <= Accounts
            ? server.ConnectionStringFor(AzuriteServer.ExtraAccount(number))
            : throw new InvalidOperationException($"All {Accounts} test storage accounts are taken; raise SharedAzurite.Accounts.");
    }

    private static async Task<AzuriteServer> StartAsync()
    {
        var server = await AzuriteServer.StartAsync(location: null, extraAccounts: Accounts);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }
}
