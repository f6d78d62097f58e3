using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Newsroom.Storage;

namespace Newsroom.IntegrationTests.Support;

/// <summary>
/// The real AddNewsroom composition on the shared Azurite, with its own table/container/queue prefix,
/// a fake clock, and response caching off so every read goes to storage.
/// </summary>
public sealed class NewsroomTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private NewsroomTestHost(ServiceProvider services, FakeTimeProvider time, string prefix)
    {
        _services = services;
        Time = time;
        Prefix = prefix;
    }

    public FakeTimeProvider Time { get; }

    public string Prefix { get; }

    public IServiceProvider Services => _services;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<NewsroomTestHost> CreateAsync(IDictionary<string, string?>? settings = null, Newsroom.LocalHost.Azurite.AzuriteServer? ownAzurite = null)
    {
        var azurite = ownAzurite ?? await SharedAzurite.GetAsync();
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = azurite.ConnectionString,
                ["Storage:Prefix"] = prefix,
                ["Reader:CacheSeconds"] = "0",
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddNewsroom(configuration);
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await provider.GetRequiredService<StorageClients>().CreateAllAsync(CancellationToken.None);
        return new NewsroomTestHost(provider, time, prefix);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
