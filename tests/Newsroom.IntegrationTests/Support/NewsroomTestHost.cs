using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Newsroom.Storage;

namespace Newsroom.IntegrationTests.Support;

/// <summary>
/// The real AddNewsroom composition on a storage account of its own on the shared Azurite (or on the
/// account another host uses, to run two instances side by side), with a fake clock and response caching
/// off so every read goes to storage.
/// </summary>
public sealed class NewsroomTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private NewsroomTestHost(ServiceProvider services, FakeTimeProvider time, string connectionString)
    {
        _services = services;
        Time = time;
        ConnectionString = connectionString;
    }

    public FakeTimeProvider Time { get; }

    /// <summary>The storage account this host uses.</summary>
    public string ConnectionString { get; }

    public IServiceProvider Services => _services;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <param name="settings">Settings over the defaults.</param>
    /// <param name="connectionString">The storage to use; a new account on the shared Azurite when null.</param>
    /// <param name="configure">Changes to the composition (a counting pipeline policy, a replaced service).</param>
    public static async Task<NewsroomTestHost> CreateAsync(
        IDictionary<string, string?>? settings = null,
        string? connectionString = null,
        Action<IServiceCollection>? configure = null)
    {
        connectionString ??= await SharedAzurite.NewAccountAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [StorageOptions.SectionName + ":ConnectionString"] = connectionString,
                ["Reader:CacheSeconds"] = "0",
                ["Reader:SharedCacheSeconds"] = "0",
                // A request with a stale copy waits for the revalidation (bounded by the work, not a guess of the machine's speed).
                ["Reader:StaleWaitMilliseconds"] = "10000",
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddNewsroom(configuration);
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await provider.GetRequiredService<StorageClients>().CreateAllAsync(CancellationToken.None);
        return new NewsroomTestHost(provider, time, connectionString);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
