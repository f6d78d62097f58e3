using System.Diagnostics;

namespace Newsroom.LocalHost.Worker;

/// <summary>
/// The Functions app's own process, started as the Functions host starts a dotnet-isolated worker (per its
/// worker.config.json): <c>dotnet "&lt;app&gt;/Newsroom.Functions.dll" --functions-uri … --functions-worker-id …
/// --functions-request-id … --functions-grpc-max-message-length 2147483647</c>, in the app's directory, with
/// FUNCTIONS_APPLICATION_DIRECTORY set and the app settings in its environment. Its standard output and
/// error go to the local host's log.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process, string workerId)
    {
        _process = process;
        WorkerId = workerId;
        Id = process.Id;
        Exited = ExitAsync(process);
    }

    private async Task ExitAsync(Process process)
    {
        await process.WaitForExitAsync();
        ExitCode = process.ExitCode;
    }

    public string WorkerId { get; }

    public int Id { get; }

    /// <summary>Completes when the process ends, for whatever reason.</summary>
    public Task Exited { get; }

    /// <summary>The exit code, once <see cref="Exited"/> has completed.</summary>
    public int? ExitCode { get; private set; }

    public static WorkerProcess Start(WorkerAppDirectory app, string workerId, Uri hostEndpoint, IReadOnlyDictionary<string, string> appSettings, ILogger log)
    {
        var requestId = Guid.NewGuid().ToString();
        var start = new ProcessStartInfo(app.ExecutablePath)
        {
            WorkingDirectory = app.Path,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        if (app.WorkerPath is { } dll)
        {
            start.ArgumentList.Add(dll);
        }
        foreach (var (name, value) in new[]
        {
            ("--functions-uri", hostEndpoint.AbsoluteUri),
            ("--functions-worker-id", workerId),
            ("--functions-request-id", requestId),
            // Without it the worker's gRPC channel allows 0-byte messages and dies on its first send.
            ("--functions-grpc-max-message-length", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        })
        {
            start.ArgumentList.Add(name);
            start.ArgumentList.Add(value);
        }
        foreach (var (name, value) in appSettings)
        {
            start.Environment[name] = value;
        }
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = app.Path;
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = app.Path;
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                WorkerLog.Output(log, e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                WorkerLog.ErrorOutput(log, e.Data);
            }
        };
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start the Functions app: {start.FileName} {string.Join(' ', start.ArgumentList)}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        ChildProcesses.ExitWithHost(process);
        return new WorkerProcess(process, workerId);
    }

    /// <summary>Stops the process tree now (after <see cref="WorkerConnection.TerminateAsync"/> had its chance).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await Exited;
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        _process.Dispose();
    }
}
