using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Newsroom.Storage;

/// <summary>
/// Derives the table, container and queue clients the features use from the singleton service clients, by
/// the names in <see cref="StorageNames"/>; the renditions container may live in an account of its own.
/// </summary>
public sealed class StorageClients(
    TableServiceClient tables,
    BlobServiceClient blobs,
    QueueServiceClient queues,
    RenditionsBlobService renditions)
{
    public TableClient Table(string name) => tables.GetTableClient(name);

    /// <summary>The data account's blob service (user delegation keys for SAS).</summary>
    public BlobServiceClient Blobs => blobs;

    public BlobContainerClient Container(string name) =>
        (name == StorageNames.RenditionsContainerName ? renditions.Client : blobs).GetBlobContainerClient(name);

    public QueueClient Queue(string name) => queues.GetQueueClient(name);

    /// <summary>Creates every table, container and queue that does not exist yet (local host and tests).</summary>
    public async Task CreateAllAsync(CancellationToken cancellationToken)
    {
        var work = new List<Task>();
        work.AddRange(StorageNames.AllTables.Select(t => Table(t).CreateIfNotExistsAsync(cancellationToken)));
        // Renditions are fetched by browsers directly; every other container stays private.
        work.AddRange(StorageNames.AllContainers.Select(c => Container(c).CreateIfNotExistsAsync(
            c == StorageNames.RenditionsContainerName ? Azure.Storage.Blobs.Models.PublicAccessType.Blob : Azure.Storage.Blobs.Models.PublicAccessType.None,
            cancellationToken: cancellationToken)));
        work.AddRange(StorageNames.AllQueues.Select(q => Queue(q).CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
        await Task.WhenAll(work);
    }
}
