using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Newsroom.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Newsroom.Functions;

/// <summary>
/// OpenTelemetry for the worker, exported to Azure Monitor: the Functions invocations (their trace context
/// comes from the host, which host.json puts in OpenTelemetry mode), Newsroom's own activities (a publish
/// through the queue to the rebuild, an upload through the resize) and its metrics. Application Insights
/// takes only Entra ID-authenticated telemetry, so the exporter signs in as the managed identity named in
/// APPLICATIONINSIGHTS_AUTHENTICATION_STRING ("ClientId=…;Authorization=AAD"). No connection string, as
/// locally: nothing is exported.
/// </summary>
public static class Telemetry
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static IServiceCollection AddNewsroomTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration[ConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return services;
        }
        var clientId = ClientIdOf(configuration[AuthenticationStringSetting]);
        services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddSource(NewsroomTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(NewsroomTelemetry.Name))
            .UseAzureMonitorExporter(o =>
            {
                o.ConnectionString = connectionString;
                if (clientId is not null)
                {
                    o.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
                }
            });
        return services;
    }

    /// <summary>The managed identity's client id in "ClientId=…;Authorization=AAD"; null when there is none.</summary>
    public static string? ClientIdOf(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString))
        {
            return null;
        }
        var parts = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        return parts.TryGetValue("Authorization", out var auth) && string.Equals(auth, "AAD", StringComparison.OrdinalIgnoreCase)
            && parts.TryGetValue("ClientId", out var id) && id.Length > 0
            ? id
            : null;
    }
}
