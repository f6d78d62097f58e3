using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Newsroom.LocalHost.Azurite;
using Newsroom.LocalHost.Demo;
using Newsroom.LocalHost.Hosting;
using Newsroom.LocalHost.Identity;
using Newsroom.LocalHost.Worker;
using Newsroom.Storage;

namespace Newsroom.LocalHost;

/// <summary>
/// The local stand-in for the Azure Functions host. Like the real host it runs the Functions app as a process
/// of its own (<see cref="FunctionsWorker"/>: the app's Program.cs, composition, middleware and Kestrel), talks
/// to it over the host/worker gRPC protocol, serves its HTTP functions by forwarding requests to it, and drives
/// its timer and queue triggers with the Functions host's semantics (<see cref="QueueListener"/>). It starts
/// Azurite when no storage is configured and seeds the demo paper. Tests create it on an ephemeral port and
/// speak HTTP to it.
/// </summary>
public sealed class LocalHostApp : IAsyncDisposable
{
    public const string DefaultUrl = "http://localhost:7071";

    /// <summary>The Functions host's request body limit (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT), 100 MiB.</summary>
    public const long MaxRequestBodySize = 100L * 1024 * 1024;

    private readonly AzuriteServer? _azurite;
    private readonly ILoggerFactory _loggers;

    private LocalHostApp(WebApplication app, FunctionsWorker worker, DevelopmentTokenIssuer tokens, AzuriteServer? azurite, ILoggerFactory loggers, string storage)
    {
        App = app;
        Tokens = tokens;
        Worker = worker;
        _azurite = azurite;
        _loggers = loggers;
        StorageConnectionString = storage;
    }

    public WebApplication App { get; }

    /// <summary>The Functions app process this host runs.</summary>
    public FunctionsWorker Worker { get; }

    /// <summary>The Azurite this host started, if it started one.</summary>
    public AzuriteServer? Azurite => _azurite;

    /// <summary>Issues development access tokens (POST /api/dev/token).</summary>
    public DevelopmentTokenIssuer Tokens { get; }

    /// <summary>The newspaper's storage, for tests that look at it directly.</summary>
    public string StorageConnectionString { get; }

    /// <summary>The first address Kestrel listens on (after start).</summary>
    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <param name="args">Command line: --urls, --no-seed, and any Section:Key=value setting.</param>
    /// <param name="settings">Settings that win over everything else (tests).</param>
    public static async Task<LocalHostApp> CreateAsync(string[] args, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. args.Select(a => a == "--no-seed" ? "--LocalHost:Seed=false" : a)],
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(LocalHostApp).Assembly.GetName().Name,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodySize);

        // One log for the host and the Functions app it runs (whose logs arrive over gRPC).
        var loggers = LoggerFactory.Create(b => b
            .AddConfiguration(builder.Configuration.GetSection("Logging"))
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            }));
        builder.Services.Replace(ServiceDescriptor.Singleton(loggers));

        // No storage configured: run Azurite, like Core Tools' developers do, but started for them.
        AzuriteServer? azurite = null;
        FunctionsWorker? worker = null;
        var tokens = new DevelopmentTokenIssuer();
        try
        {
            var storage = builder.Configuration.GetSection(StorageOptions.SectionName);
            var local = builder.Configuration.GetSection(LocalHostOptions.SectionName).Get<LocalHostOptions>() ?? new LocalHostOptions();
            if (string.IsNullOrEmpty(storage["ConnectionString"]) && string.IsNullOrEmpty(storage["TableServiceUri"]))
            {
                var location = local.AzuriteInMemory ? null : Path.Combine(RepositoryRoot.Find(), local.AzuriteLocation);
                azurite = await AzuriteServer.StartAsync(location);
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    [StorageOptions.SectionName + ":ConnectionString"] = azurite.ConnectionString,
                    [StorageOptions.SectionName + ":CreateIfNotExists"] = "true",
                    // The host's own storage (timers, keys on Azure); here the same emulator.
                    ["AzureWebJobsStorage"] = azurite.ConnectionString,
                });
                LocalHostLog.AzuriteStarted(loggers.CreateLogger<LocalHostApp>(), azurite.BlobPort, azurite.QueuePort, azurite.TablePort, location ?? "memory");
            }

            // Entra ID's stand-in: the app trusts the development token issuer's key (never on Azure).
            builder.Configuration.AddInMemoryCollection(tokens.AppSettings);

            var host = HostJson.Load(HostJson.DefaultPath);
            var queueWatcher = new SharedQueueWatcher();
            worker = await FunctionsWorker.StartAsync(
                local.FunctionsAppDirectory ?? WorkerAppDirectory.BuiltPath,
                AppSettings.For(builder.Configuration),
                loggers,
                host.FunctionTimeout,
                new QueueOutputs(builder.Configuration, host, queueWatcher),
                CancellationToken.None);

            // The seeder writes through Core like any other client of the storage; the functions run in the worker.
            builder.Services.AddNewsroom(builder.Configuration);
            // An in-process search index belongs to the worker, which serves it. The seeder's print pages land in an index of
            // this process's own, in memory, and reach the worker's when it catches up from the tables. Opening the worker's
            // index on disk (Search:LucenePath) here as well made two processes write it, each deleting segment files the
            // other's commits needed.
            if (builder.Configuration.GetSection(Newsroom.Search.SearchEngineOptions.SectionName).Get<Newsroom.Search.SearchEngineOptions>() is null or { InProcess: true })
            {
                builder.Services.Replace(ServiceDescriptor.Singleton<Newsroom.Search.ISearchEngine>(sp =>
                    new Newsroom.Search.LuceneSearchEngine(null, sp.GetRequiredService<ILogger<Newsroom.Search.LuceneSearchEngine>>())));
            }
            builder.Services.AddOptions<LocalHostOptions>().BindConfiguration(LocalHostOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
            builder.Services.AddSingleton(host);
            builder.Services.AddSingleton(queueWatcher);
            builder.Services.AddSingleton(worker);
            builder.Services.AddSingleton(tokens);
            builder.Services.AddHttpForwarder();
            // CORS for an editors' front end on another origin, as Core Tools' Host.CORS and the Function App's CORS setting.
            builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins(local.CorsOrigins).AllowAnyHeader().AllowAnyMethod()
                .WithExposedHeaders("ETag", "Location", "Retry-After", "WWW-Authenticate")));
            builder.Services.AddHostedService<DemoSeeder>();
            if (local.RunBackgroundTriggers)
            {
                builder.Services.AddHostedService<TimerTriggerService>();
                builder.Services.AddHostedService<QueueTriggerService>();
            }

            var app = builder.Build();
            app.UseCors();
            tokens.Map(app, host.RoutePrefix);
            app.MapHttpTriggers(worker, host);
            LocalHostLog.FunctionsLoaded(loggers.CreateLogger<LocalHostApp>(), worker.Functions.Count, host.RoutePrefix, string.Join(", ", worker.Functions.Select(f => f.Name)));
            return new LocalHostApp(app, worker, tokens, azurite, loggers, builder.Configuration[StorageOptions.SectionName + ":ConnectionString"] ?? "");
        }
        catch
        {
            if (worker is not null)
            {
                await worker.DisposeAsync();
            }
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }
            loggers.Dispose();
            tokens.Dispose();
            throw;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => App.StartAsync(cancellationToken);

    public Task RunAsync() => App.RunAsync();

    public async ValueTask DisposeAsync()
    {
        // RunAsync has disposed the app already when it returns; everything below is held here, not resolved.
        await App.DisposeAsync();
        await Worker.DisposeAsync();
        Tokens.Dispose();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
        _loggers.Dispose();
    }
}
