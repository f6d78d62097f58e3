using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Newsroom.IntegrationTests.Support;

/// <summary>Counts the storage requests the code under test makes, through the Azure SDK's own pipeline.</summary>
public sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<string> _requests = new();

    public int Count => _requests.Count;

    public IReadOnlyList<string> Requests => [.. _requests];

    public void Reset() => _requests.Clear();

    public override void OnSendingRequest(HttpMessage message) =>
        _requests.Enqueue($"{message.Request.Method} {Uri.UnescapeDataString(message.Request.Uri.ToUri().PathAndQuery)}");

    /// <summary>Adds the counter to every storage client of a composition.</summary>
    public void AddTo(IServiceCollection services) =>
        services.AddAzureClients(clients => clients.ConfigureDefaults(o => o.AddPolicy(this, HttpPipelinePosition.PerCall)));
}

/// <summary>Keeps every log entry at or above a level (Warning unless told), to check what an alert would see.</summary>
public sealed class CapturedLogs(LogLevel minimum = LogLevel.Warning)
{
    public sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>Adds a logger provider that writes here to a composition.</summary>
    public void AddTo(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(new Provider(_entries, minimum));

    /// <summary>A logger that writes here, for a class made by hand.</summary>
    public ILogger<T> For<T>() => new Logger<T>(new LoggerFactory([new Provider(_entries, minimum)]));

    private sealed class Provider(ConcurrentQueue<Entry> entries, LogLevel minimum) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries, minimum);

        public void Dispose()
        {
        }
    }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
