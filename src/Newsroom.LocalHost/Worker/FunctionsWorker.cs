using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Newsroom.LocalHost.Hosting;
using Newsroom.LocalHost.Worker.Rpc;

namespace Newsroom.LocalHost.Worker;

/// <summary>
/// Runs the Functions app exactly as the Functions host does: its own process (Program.cs, its composition,
/// its middleware, its own Kestrel with ASP.NET Core integration), spoken to over the host/worker gRPC
/// protocol. The local host listens on loopback for the worker's event stream, starts the process, loads the
/// functions the worker indexes, and from then on invokes them. If the process dies, whatever was in flight
/// fails (queue messages come back, as on Azure) and a new process is started.
/// </summary>
public sealed class FunctionsWorker : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan TerminateGrace = TimeSpan.FromSeconds(5);

    private readonly WorkerAppDirectory _app;
    private readonly IReadOnlyDictionary<string, string> _appSettings;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly TimeSpan _functionTimeout;
    private readonly QueueOutputs _outputs;
    private readonly ConcurrentDictionary<string, WorkerConnection> _connections = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication _rpcServer = null!;
    private Uri _rpcEndpoint = null!;
    private TaskCompletionSource<(WorkerProcess Process, WorkerConnection Connection)> _current = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _supervisor = Task.CompletedTask;
    private readonly Task _stoppingTask;

    private FunctionsWorker(WorkerAppDirectory app, IReadOnlyDictionary<string, string> appSettings, ILoggerFactory loggers, TimeSpan functionTimeout, QueueOutputs outputs)
    {
        _outputs = outputs;
        _app = app;
        _appSettings = appSettings;
        _loggers = loggers;
        _log = loggers.CreateLogger<FunctionsWorker>();
        _functionTimeout = functionTimeout;
        _stoppingTask = Task.Delay(Timeout.Infinite, _stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Every function the worker indexed and loaded, with its bindings.</summary>
    public IReadOnlyList<FunctionMetadata> Functions { get; private set; } = [];

    /// <summary>The worker process's id (tests stop it to see the host recover).</summary>
    public int ProcessId => _current.Task.IsCompletedSuccessfully ? _current.Task.Result.Process.Id : 0;

    /// <param name="appDirectory">The Functions app's build output (worker.config.json, the dll).</param>
    /// <param name="appSettings">The app settings, given to the worker as environment variables (Section__Key).</param>
    /// <param name="outputs">Writes what functions return for their queue output bindings.</param>
    public static async Task<FunctionsWorker> StartAsync(string appDirectory, IReadOnlyDictionary<string, string> appSettings, ILoggerFactory loggers,
        TimeSpan functionTimeout, QueueOutputs outputs, CancellationToken cancellationToken)
    {
        var worker = new FunctionsWorker(WorkerAppDirectory.Load(appDirectory), appSettings, loggers, functionTimeout, outputs);
        try
        {
            await worker.StartRpcServerAsync(cancellationToken);
            var (_, connection) = await worker.LaunchAsync(cancellationToken);
            worker.Functions = [.. connection.Functions.Select(FunctionMetadata.From)];
            worker._supervisor = worker.SuperviseAsync();
            return worker;
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }

    /// <summary>The worker that is up now (waiting while a new one starts after a crash).</summary>
    internal async Task<WorkerConnection> ReadyAsync(CancellationToken cancellationToken) =>
        (await _current.Task.WaitAsync(cancellationToken)).Connection;

    /// <summary>
    /// Sends an invocation to the current worker and waits for its result; then, as the host binds a function's
    /// outputs, writes what a successful one returned for its queue output bindings (a failure there fails it).
    /// </summary>
    internal async Task<InvocationResponse> InvokeAsync(WorkerConnection connection, InvocationRequest request, CancellationToken cancellationToken)
    {
        request.TraceContext ??= new RpcTraceContext { TraceParent = System.Diagnostics.Activity.Current?.Id ?? "" };
        var response = await connection.InvokeAsync(request, _functionTimeout, cancellationToken);
        if (response.Result?.Status == StatusResult.Types.Status.Success
            && Functions.FirstOrDefault(f => f.FunctionId == request.FunctionId) is { } function)
        {
            try
            {
                await _outputs.WriteAsync(function, response, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage refused or unreachable, or a binding naming a missing setting: the invocation fails.
                response.Result = new StatusResult
                {
                    Status = StatusResult.Types.Status.Failure,
                    Exception = new Rpc.RpcException { Message = $"Writing the function's queue output failed: {e.Message}", Type = e.GetType().FullName },
                };
            }
        }
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_current.Task.IsCompletedSuccessfully)
        {
            var (process, connection) = _current.Task.Result;
            await StopAsync(process, connection);
        }
        try
        {
            await _supervisor;
        }
        catch (OperationCanceledException)
        {
        }
        if (_rpcServer is not null)
        {
            await _rpcServer.DisposeAsync();
        }
        _stopping.Dispose();
    }

    private async Task StartRpcServerAsync(CancellationToken cancellationToken)
    {
        // The host's side of the event stream: plain-text HTTP/2 on loopback, messages of any size.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.Replace(ServiceDescriptor.Singleton(_loggers));
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = int.MaxValue;
            o.MaxSendMessageSize = int.MaxValue;
        });
        builder.Services.AddSingleton(this);
        builder.Services.Configure<Microsoft.Extensions.Hosting.ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        _rpcServer = builder.Build();
        _rpcServer.MapGrpcService<EventStreamService>();
        await _rpcServer.StartAsync(cancellationToken);
        _rpcEndpoint = new Uri(_rpcServer.Urls.First());
    }

    private async Task<(WorkerProcess, WorkerConnection)> LaunchAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        timeout.CancelAfter(StartTimeout);
        // The connection is there before the process, which may call in at once.
        var workerId = Guid.NewGuid().ToString();
        var connection = _connections.GetOrAdd(workerId, id => new WorkerConnection(id, _loggers));
        WorkerProcess process;
        try
        {
            process = WorkerProcess.Start(_app, workerId, _rpcEndpoint, _appSettings, _log);
        }
        catch
        {
            _connections.TryRemove(workerId, out _);
            throw;
        }
        try
        {
            // A worker that dies during start-up must not leave us waiting for its handshake.
            var initialized = connection.InitializeAsync(_app.Path, timeout.Token);
            if (await Task.WhenAny(initialized, process.Exited) != initialized)
            {
                throw new WorkerUnavailableException($"The Functions app exited with code {process.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} before it was ready; see its output above.");
            }
            await initialized;
        }
        catch
        {
            connection.Close(new WorkerUnavailableException("The Functions app did not start."));
            await process.DisposeAsync();
            _connections.TryRemove(process.WorkerId, out _);
            throw;
        }
        WorkerLog.Ready(_log, process.WorkerId, process.Id, connection.Functions.Count, connection.HttpUri);
        _current.TrySetResult((process, connection));
        return (process, connection);
    }

    /// <summary>Restarts the worker whenever it stops on its own, as the host does.</summary>
    private async Task SuperviseAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var (process, connection) = await _current.Task;
            await Task.WhenAny(process.Exited, connection.Closed, _stoppingTask);
            if (_stopping.IsCancellationRequested)
            {
                return;
            }
            _current = new(TaskCreationOptions.RunContinuationsAsynchronously);
            var pending = connection.PendingInvocations;
            connection.Close(new WorkerUnavailableException($"The Functions app worker {process.WorkerId} stopped."));
            await process.DisposeAsync();
            _connections.TryRemove(process.WorkerId, out _);
            WorkerLog.Stopped(_log, process.WorkerId, process.ExitCode ?? -1, pending);
            for (var attempt = 1; !_stopping.IsCancellationRequested; attempt++)
            {
                try
                {
                    await LaunchAsync(_stopping.Token);
                    break;
                }
                catch (Exception e) when (!_stopping.IsCancellationRequested)
                {
                    WorkerLog.RestartFailed(_log, e, attempt);
                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), _stopping.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }
    }

    private async Task StopAsync(WorkerProcess process, WorkerConnection connection)
    {
        try
        {
            connection.Terminate(TerminateGrace);
            await process.Exited.WaitAsync(TerminateGrace);
        }
        catch (Exception e) when (e is TimeoutException or WorkerUnavailableException)
        {
            // It did not go quietly: the process tree is killed below.
        }
        connection.Close(new WorkerUnavailableException("The local host is stopping."));
        await process.DisposeAsync();
    }

    /// <summary>The gRPC service the worker connects to: routes its stream, by its StartStream, to its connection.</summary>
    private sealed class EventStreamService(FunctionsWorker host) : FunctionRpc.FunctionRpcBase
    {
        public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
        {
            if (!await requestStream.MoveNext(context.CancellationToken)
                || requestStream.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream
                || !host._connections.TryGetValue(requestStream.Current.StartStream.WorkerId, out var connection))
            {
                throw new Grpc.Core.RpcException(new Status(StatusCode.InvalidArgument, "Expected StartStream from a worker this host started."));
            }
            await connection.RunAsync(requestStream, responseStream, context.CancellationToken);
        }
    }
}
