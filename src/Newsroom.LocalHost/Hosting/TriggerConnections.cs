using Azure.Identity;
using Azure.Storage.Queues;

namespace Newsroom.LocalHost.Hosting;

/// <summary>
/// How the Functions host resolves a trigger's <c>Connection = "X"</c>: the first of ConnectionStrings:AzureWebJobsX,
/// AzureWebJobsX, ConnectionStrings:X and X that exists (an empty name means AzureWebJobsStorage). A section
/// with a value is a connection string; otherwise its "connectionString" key, or its service URI
/// ("queueServiceUri", "serviceUri", "accountName") with an Azure credential. Because the AzureWebJobs-prefixed
/// name is tried first, a connection named "Storage" silently becomes the host's own AzureWebJobsStorage.
/// </summary>
public static class TriggerConnections
{
    /// <summary>The configuration section a connection name resolves to, or null when none exists.</summary>
    public static IConfigurationSection? Find(IConfiguration configuration, string? connection)
    {
        var name = string.IsNullOrEmpty(connection) ? "Storage" : connection;
        foreach (var candidate in new[] { "AzureWebJobs" + name, name })
        {
            if (configuration.GetSection("ConnectionStrings")[candidate] is { Length: > 0 })
            {
                return configuration.GetSection("ConnectionStrings").GetSection(candidate);
            }
            var section = configuration.GetSection(candidate);
            if (section.Exists())
            {
                return section;
            }
        }
        return null;
    }

    /// <summary>The queue service a queue trigger listens to, with the host's base64 message encoding.</summary>
    public static QueueServiceClient Queues(IConfiguration configuration, string? connection, QueueClientOptions options)
    {
        var section = Find(configuration, connection)
            ?? throw new InvalidOperationException($"The trigger's connection '{connection}' is not configured: set {connection}__connectionString (or {connection}__queueServiceUri with a credential).");
        if (section.Value is { Length: > 0 } connectionString)
        {
            return new QueueServiceClient(connectionString, options);
        }
        if (section["connectionString"] is { Length: > 0 } childConnectionString)
        {
            return new QueueServiceClient(childConnectionString, options);
        }
        var uri = section["queueServiceUri"] ?? section["serviceUri"]
            ?? (section["accountName"] is { Length: > 0 } account ? $"https://{account}.queue.core.windows.net" : null)
            ?? throw new InvalidOperationException($"The connection '{section.Path}' has no connection string and no queue service URI.");
        var credential = string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrEmpty(section["clientId"]) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(section["clientId"]!))
            : (Azure.Core.TokenCredential)new DefaultAzureCredential();
        return new QueueServiceClient(new Uri(uri), credential, options);
    }
}
