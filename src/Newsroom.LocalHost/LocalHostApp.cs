using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Newsroom.LocalHost.Azurite;
using Newsroom.LocalHost.Demo;
using Newsroom.LocalHost.Hosting;
using Newsroom.Storage;

namespace Newsroom.LocalHost;

/// <summary>
/// The local stand-in for the Azure Functions host: the Functions app's own function classes and its
/// AddNewsroom composition, served by Kestrel, with timers and queue listeners driven by
/// functions.metadata and host.json. Starts Azurite when no storage is configured. Tests create it
/// in-process on an ephemeral port and speak HTTP to it.
/// </summary>
public sealed class LocalHostApp : IAsyncDisposable
{
    public const string DefaultUrl = "http://localhost:7071";

    private readonly AzuriteServer? _azurite;

    private LocalHostApp(WebApplication app, AzuriteServer? azurite)
    {
        App = app;
        _azurite = azurite;
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

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

        // No storage configured: run Azurite, like Core Tools' developers do, but started for them.
        AzuriteServer? azurite = null;
        string? azuriteLocation = null;
        var storage = builder.Configuration.GetSection(StorageOptions.SectionName);
        if (string.IsNullOrEmpty(storage["ConnectionString"]) && string.IsNullOrEmpty(storage["TableServiceUri"]))
        {
            var local = builder.Configuration.GetSection(LocalHostOptions.SectionName).Get<LocalHostOptions>() ?? new LocalHostOptions();
            azuriteLocation = local.AzuriteInMemory ? null : Path.Combine(RepositoryRoot.Find(), local.AzuriteLocation);
            azurite = await AzuriteServer.StartAsync(azuriteLocation);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = azurite.ConnectionString,
                ["Storage:CreateIfNotExists"] = "true",
            });
        }

        try
        {
            var host = HostJson.Load(HostJson.DefaultPath);
            var functions = FunctionMetadata.Load(FunctionMetadata.DefaultPath).Select(FunctionInvoker.Create).ToList();

            builder.Services.AddNewsroom(builder.Configuration);
            builder.Services.AddOptions<LocalHostOptions>().BindConfiguration(LocalHostOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
            builder.Services.AddSingleton(host);
            foreach (var function in functions)
            {
                builder.Services.AddSingleton(function);
            }
            builder.Services.AddHostedService<DemoSeeder>();
            if (builder.Configuration.GetValue(LocalHostOptions.SectionName + ":" + nameof(LocalHostOptions.RunBackgroundTriggers), true))
            {
                builder.Services.AddHostedService<TimerTriggerService>();
                builder.Services.AddHostedService<QueueTriggerService>();
            }

            var app = builder.Build();
            // No route, or a route without that method: answer in problem+json like every other refusal.
            app.UseStatusCodePages(context => Newsroom.Http.Problems.Create(context.HttpContext.Response.StatusCode,
                    context.HttpContext.Response.StatusCode == StatusCodes.Status405MethodNotAllowed ? "Method not allowed" : "Not found",
                    context.HttpContext.Response.StatusCode == StatusCodes.Status405MethodNotAllowed
                        ? $"{context.HttpContext.Request.Method} is not supported on {context.HttpContext.Request.Path}; see the API in the README."
                        : $"There is no API at {context.HttpContext.Request.Path}; see the API in the README.")
                .ExecuteResultAsync(new Microsoft.AspNetCore.Mvc.ActionContext(context.HttpContext, new Microsoft.AspNetCore.Routing.RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor())));
            app.MapHttpTriggers(functions, host);
            if (azurite is not null)
            {
                LocalHostLog.AzuriteStarted(app.Logger, azurite.BlobPort, azurite.QueuePort, azurite.TablePort, azuriteLocation ?? "memory");
            }
            LocalHostLog.FunctionsLoaded(app.Logger, functions.Count, host.RoutePrefix, string.Join(", ", functions.Select(f => f.Name)));
            return new LocalHostApp(app, azurite);
        }
        catch
        {
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }
            throw;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => App.StartAsync(cancellationToken);

    public Task RunAsync() => App.RunAsync();

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
