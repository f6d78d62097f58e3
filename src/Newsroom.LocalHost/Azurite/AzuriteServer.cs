using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Newsroom.LocalHost.Azurite;

/// <summary>
/// Azurite, the Azure Storage emulator, run from the repo's own package-lock (npm ci on first use) on
/// ephemeral loopback ports. The local host starts one when no storage is configured; the tests start one
/// per test assembly. Disposing it stops the process.
/// </summary>
public sealed partial class AzuriteServer : IAsyncDisposable
{
    public const string AccountName = "devstoreaccount1";

    // The emulator's well-known development key (documented by Microsoft; not a secret).
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;

    private AzuriteServer(Process process, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    /// <summary>The connection string of the emulator's default account.</summary>
    public string ConnectionString => ConnectionStringFor(AccountName);

    /// <summary>The connection string of one of the accounts the server was started with.</summary>
    public string ConnectionStringFor(string account)
    {
        var key = account == AccountName ? AccountKey : ExtraAccountKey;
        return $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={key};" +
            $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{account};" +
            $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{account};" +
            $"TableEndpoint=http://127.0.0.1:{TablePort}/{account};";
    }

    /// <summary>The names of the extra accounts: "t0001", "t0002", … Each is a storage account of its own, so
    /// tests that share one server never see each other's tables, containers or queues.</summary>
    public static string ExtraAccount(int number) => "t" + number.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    // The key of every extra account; like the emulator's own key, not a secret.
    private const string ExtraAccountKey = "bmV3c3Jvb20tdGVzdC1hY2NvdW50";

    /// <summary>Stops the process in its tracks (SIGSTOP) without closing a connection: storage that hangs, as a throttled or unreachable account looks from the app.</summary>
    public void Freeze() => Signal("STOP");

    /// <summary>Lets a frozen server go on (SIGCONT).</summary>
    public void Thaw() => Signal("CONT");

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {_process.Id}") { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill.");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed ({kill.ExitCode}).");
        }
    }

    /// <param name="location">A data folder, or null to keep everything in memory.</param>
    /// <param name="extraAccounts">How many accounts besides the default one (<see cref="ExtraAccount"/>).</param>
    public static async Task<AzuriteServer> StartAsync(string? location, int extraAccounts = 0, CancellationToken cancellationToken = default)
    {
        var root = RepositoryRoot.Find();
        var script = await EnsureInstalledAsync(root, cancellationToken);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        if (extraAccounts > 0)
        {
            start.Environment["AZURITE_ACCOUNTS"] = string.Join(';',
                Enumerable.Range(1, extraAccounts).Select(n => $"{ExtraAccount(n)}:{ExtraAccountKey}").Prepend($"{AccountName}:{AccountKey}"));
        }
        foreach (var arg in new[] { "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", "0", "--queuePort", "0", "--tablePort", "0", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl" })
        {
            start.ArgumentList.Add(arg);
        }
        if (location is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(location);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(location);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        ChildProcesses.ExitWithHost(process);
        var ports = new Dictionary<string, int>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }
            output.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } m)
            {
                lock (ports)
                {
                    ports[m.Groups["service"].Value] = int.Parse(m.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    if (ports.Count == 3)
                    {
                        ready.TrySetResult();
                    }
                }
            }
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("Azurite exited: " + string.Join(Environment.NewLine, output)));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
        return new AzuriteServer(process, ports["Blob"], ports["Queue"], ports["Table"]);
    }

    /// <summary>Installs the pinned Azurite with npm ci unless it is there; one installer at a time per repo.</summary>
    private static async Task<string> EnsureInstalledAsync(string root, CancellationToken cancellationToken)
    {
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (File.Exists(script))
        {
            return script;
        }
        await using var installLock = await AcquireLockAsync(Path.Combine(root, ".azurite-install.lock"), cancellationToken);
        if (File.Exists(script))
        {
            return script;
        }
        var npm = new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = root, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(npm) ?? throw new InvalidOperationException("Could not run npm; install Node.js (20+) to run Azurite.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || !File.Exists(script))
        {
            throw new InvalidOperationException($"npm ci failed ({process.ExitCode}) installing Azurite:{Environment.NewLine}{await stdout}{await stderr}");
        }
        return script;
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://[^:]+:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
