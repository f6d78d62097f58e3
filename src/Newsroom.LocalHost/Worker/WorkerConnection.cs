using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Newsroom.LocalHost.Worker.Rpc;

namespace Newsroom.LocalHost.Worker;

/// <summary>The worker process went away (or never came) while something waited for it.</summary>
public sealed class WorkerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One worker process's event stream, seen from the host: the handshake (WorkerInitRequest, then
/// FunctionsMetadataRequest, then a FunctionLoadRequest per function), invocations matched to their
/// responses by invocation id (the worker answers each message on its own task, in any order), and its
/// RpcLog messages written to the local host's log under their own categories.
/// </summary>
internal sealed class WorkerConnection(string workerId, ILoggerFactory loggers)
{
    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FunctionLoadResponse>> _loads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _invocations = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Exception? _closedBecause;

    public string WorkerId => workerId;

    /// <summary>The worker's own Kestrel (its "HttpUri" capability), where HTTP requests are forwarded.</summary>
    public Uri HttpUri { get; private set; } = null!;

    /// <summary>The functions the worker reported and loaded.</summary>
    public IReadOnlyList<RpcFunctionMetadata> Functions { get; private set; } = [];

    public Task Closed => _closed.Task;

    public int PendingInvocations => _invocations.Count;

    /// <summary>Serves the worker's stream (after its StartStream) until it ends.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        _attached.TrySetResult();
        var writer = Task.Run(async () =>
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken))
            {
                await responses.WriteAsync(message, cancellationToken);
            }
        }, CancellationToken.None);
        try
        {
            while (await requests.MoveNext(cancellationToken))
            {
                Dispatch(requests.Current);
            }
            Close(new WorkerUnavailableException($"The Functions app worker {workerId} closed its stream."));
        }
        catch (Exception e)
        {
            Close(new WorkerUnavailableException($"The Functions app worker {workerId}'s stream broke: {e.Message}", e));
        }
        try
        {
            await writer;
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException or Grpc.Core.RpcException)
        {
            // The stream is gone; nothing more to write.
        }
    }

    /// <summary>The handshake; returns when every function is loaded, or throws with what the worker said.</summary>
    public async Task InitializeAsync(string appDirectory, CancellationToken cancellationToken)
    {
        await _attached.Task.WaitAsync(cancellationToken);
        var init = (await RequestAsync(new StreamingMessage
        {
            WorkerInitRequest = new WorkerInitRequest { HostVersion = "4.0.0-newsroom-localhost", WorkerDirectory = appDirectory, FunctionAppDirectory = appDirectory },
        }, cancellationToken)).WorkerInitResponse;
        EnsureSuccess(init.Result, "initialise");
        HttpUri = init.Capabilities.TryGetValue("HttpUri", out var httpUri)
            ? new Uri(httpUri)
            : throw new InvalidOperationException("The Functions app did not report an HttpUri: it must use ConfigureFunctionsWebApplication (ASP.NET Core integration).");

        var metadata = (await RequestAsync(new StreamingMessage
        {
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = appDirectory },
        }, cancellationToken)).FunctionMetadataResponse;
        EnsureSuccess(metadata.Result, "index its functions");
        var functions = metadata.FunctionMetadataResults.ToList();
        // One FunctionLoadRequest per function (the worker does not take the batched form), the metadata as reported.
        await Task.WhenAll(functions.Select(async f =>
        {
            var loaded = _loads.GetOrAdd(f.FunctionId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
            Send(new StreamingMessage { FunctionLoadRequest = new FunctionLoadRequest { FunctionId = f.FunctionId, Metadata = f } });
            EnsureSuccess((await loaded.Task.WaitAsync(cancellationToken)).Result, $"load function {f.Name}");
        }));
        Functions = functions;
    }

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var response = new TaskCompletionSource<InvocationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _invocations[request.InvocationId] = response;
        try
        {
            if (_closedBecause is { } closed)
            {
                throw new WorkerUnavailableException(closed.Message, closed);
            }
            Send(new StreamingMessage { InvocationRequest = request });
            // Like the host: a caller that goes away cancels the invocation in the worker, which then answers Cancelled.
            using var cancel = cancellationToken.Register(() => Send(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = request.InvocationId } }));
            return await response.Task.WaitAsync(timeout, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The function did not finish within functionTimeout ({timeout}).");
        }
        finally
        {
            _invocations.TryRemove(request.InvocationId, out _);
        }
    }

    /// <summary>Asks the worker to stop (it exits on its own); the process is killed if it has not after the grace period.</summary>
    public void Terminate(TimeSpan grace) =>
        Send(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(grace) } });

    /// <summary>Fails everything still waiting on this worker.</summary>
    public void Close(Exception because)
    {
        _closedBecause ??= because;
        _outbound.Writer.TryComplete();
        _attached.TrySetException(because);
        foreach (var pending in _requests.Values)
        {
            pending.TrySetException(because);
        }
        foreach (var pending in _loads.Values)
        {
            pending.TrySetException(because);
        }
        foreach (var pending in _invocations.Values)
        {
            pending.TrySetException(because);
        }
        _closed.TrySetResult();
    }

    private async Task<StreamingMessage> RequestAsync(StreamingMessage request, CancellationToken cancellationToken)
    {
        request.RequestId = Guid.NewGuid().ToString();
        var response = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests[request.RequestId] = response;
        try
        {
            Send(request);
            return await response.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _requests.TryRemove(request.RequestId, out _);
        }
    }

    private void Send(StreamingMessage message)
    {
        if (!_outbound.Writer.TryWrite(message) && message.ContentCase != StreamingMessage.ContentOneofCase.InvocationCancel)
        {
            throw new WorkerUnavailableException(_closedBecause?.Message ?? $"The Functions app worker {workerId} is not connected.");
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                if (_requests.TryGetValue(message.RequestId, out var request))
                {
                    request.TrySetResult(message);
                }
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                _loads.GetOrAdd(message.FunctionLoadResponse.FunctionId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously))
                    .TrySetResult(message.FunctionLoadResponse);
                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                if (_invocations.TryGetValue(message.InvocationResponse.InvocationId, out var invocation))
                {
                    invocation.TrySetResult(message.InvocationResponse);
                }
                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                Forward(message.RpcLog);
                break;
            default:
                // StartStream was read by the service; status responses and the empty acknowledgements of
                // WorkerTerminate and InvocationCancel need nothing.
                break;
        }
    }

    private void Forward(RpcLog log)
    {
        var level = log.Level switch
        {
            RpcLog.Types.Level.Trace => LogLevel.Trace,
            RpcLog.Types.Level.Debug => LogLevel.Debug,
            RpcLog.Types.Level.Information => LogLevel.Information,
            RpcLog.Types.Level.Warning => LogLevel.Warning,
            RpcLog.Types.Level.Error => LogLevel.Error,
            RpcLog.Types.Level.Critical => LogLevel.Critical,
            _ => LogLevel.None,
        };
        var logger = loggers.CreateLogger(string.IsNullOrEmpty(log.Category) ? "Function" : log.Category);
        if (level == LogLevel.None || !logger.IsEnabled(level) || log.LogCategory == RpcLog.Types.RpcLogCategory.CustomMetric)
        {
            return;
        }
        // The worker sends an event's name when it has one (source-generated log methods do), else its number.
        var eventId = int.TryParse(log.EventId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? new EventId(id)
            : new EventId(0, string.IsNullOrEmpty(log.EventId) ? null : log.EventId);
        logger.Log(level, eventId, log.Message, log.Exception is { } e ? new WorkerException(e) : null, static (message, _) => message);
    }

    private static void EnsureSuccess(StatusResult result, string what)
    {
        if (result.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"The Functions app failed to {what}: {result.Exception?.Message ?? result.Result}");
        }
    }

    /// <summary>An exception the worker reported, carried into the local host's log.</summary>
    private sealed class WorkerException(Rpc.RpcException e) : Exception(e.Message)
    {
        public override string? StackTrace => e.StackTrace;
    }
}
