namespace Newsroom.LocalHost.Worker;

internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "Restarting the Functions app failed (attempt {Attempt}); trying again")]
    public static partial void RestartFailed(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Functions app: {Line}")]
    public static partial void Output(ILogger logger, string line);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Functions app (stderr): {Line}")]
    public static partial void ErrorOutput(ILogger logger, string line);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Functions app worker {WorkerId} (process {ProcessId}) ready: {Count} functions, HTTP at {HttpUri}")]
    public static partial void Ready(ILogger logger, string workerId, int processId, int count, Uri httpUri);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Error, Message = "Functions app worker {WorkerId} stopped (exit code {ExitCode}); {Pending} invocation(s) failed; restarting it")]
    public static partial void Stopped(ILogger logger, string workerId, int exitCode, int pending);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning, Message = "Function {Function} failed (invocation {InvocationId}): {Error}")]
    public static partial void InvocationFailed(ILogger logger, string function, string invocationId, string error);
}
