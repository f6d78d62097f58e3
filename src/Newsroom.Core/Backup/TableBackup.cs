using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsroom.Json;
using Newsroom.Storage;

namespace Newsroom.Backup;

/// <summary>One exported table: its blob, how many entities it held, and the SHA-256 of the blob.</summary>
public sealed record TableExport(string Table, string Blob, long Entities, string Sha256);

/// <summary>
/// An export, written last: an export without its manifest is incomplete and is never restored.
/// </summary>
public sealed record BackupManifest(string Id, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, IReadOnlyList<TableExport> Tables)
{
    public const string FileName = "manifest.json";
}

/// <summary>
/// Tables are the system of record and Azure Storage has no point-in-time restore for them, so every night
/// each table is exported to the versioned table-backups container: one gzip'd JSON-lines file per table
/// ({id}/{table}.jsonl.gz, every property with its type) and a manifest written last. Tables are read in an
/// order that keeps an export restorable while the desk keeps writing: articles first, then what they
/// point to (slug claims are written before their article), and the derived indexes last; a restore then
/// rebuilds every article's index rows from the articles themselves, so listings agree with articles
/// whatever moved during the export.
/// </summary>
public sealed class TableBackup(
    StorageClients storage,
    Articles.ArticleStore articles,
    Publishing.ArticleIndexer indexer,
    Homepage.HomepagePublisher homepage,
    IOptions<TableBackupOptions> options,
    TimeProvider time,
    ILogger<TableBackup> log)
{
    /// <summary>Export order: the system of record first, derived indexes last.</summary>
    public static IReadOnlyList<string> ExportOrder { get; } =
    [
        StorageNames.ArticlesTableName, StorageNames.DeskTableName, StorageNames.SlugsTableName, StorageNames.TaxonomyTableName,
        StorageNames.PrintTableName, StorageNames.PhotosTableName, StorageNames.OutboxTableName, StorageNames.ListingsTableName, StorageNames.ListingHeadsTableName,
    ];

    private Azure.Storage.Blobs.BlobContainerClient Container => storage.Container(StorageNames.TableBackupsContainerName);

    public async Task<BackupManifest> ExportAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var id = started.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var exports = new List<TableExport>();
        foreach (var table in ExportOrder)
        {
            exports.Add(await ExportTableAsync(id, table, cancellationToken));
        }
        var manifest = new BackupManifest(id, started, time.GetUtcNow(), exports);
        await Container.GetBlobClient($"{id}/{BackupManifest.FileName}").UploadAsync(
            new BinaryData(JsonSerializer.SerializeToUtf8Bytes(manifest, NewsroomJson.Stored)),
            new Azure.Storage.Blobs.Models.BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);
        BackupLog.Exported(log, id, exports.Sum(e => e.Entities), exports.Count);
        await PruneAsync(started, cancellationToken);
        return manifest;
    }

    private async Task<TableExport> ExportTableAsync(string id, string table, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient($"{id}/{table}.jsonl.gz");
        long count = 0;
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        await using (var target = await blob.OpenWriteAsync(overwrite: true, new Azure.Storage.Blobs.Models.BlobOpenWriteOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/jsonl", ContentEncoding = null },
            BufferSize = 4 * 1024 * 1024,
        }, cancellationToken))
        await using (var hashing = new HashingStream(target, sha))
        await using (var gzip = new GZipStream(hashing, CompressionLevel.Optimal))
        {
            await using var json = new Utf8JsonWriter(gzip, new JsonWriterOptions { Indented = false });
            await foreach (var entity in storage.Table(table).QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                EntityCodec.Write(json, entity);
                await json.FlushAsync(cancellationToken);
                json.Reset(); // one value a line: no separator before the next
                gzip.WriteByte((byte)'\n');
                count++;
            }
        }
        return new TableExport(table, blob.Name, count, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    /// <summary>Complete exports, newest first.</summary>
    public async Task<IReadOnlyList<BackupManifest>> ListAsync(CancellationToken cancellationToken)
    {
        var manifests = new List<BackupManifest>();
        await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = "" }, cancellationToken))
        {
            if (item.Name.EndsWith("/" + BackupManifest.FileName, StringComparison.Ordinal))
            {
                manifests.Add(await ReadManifestAsync(item.Name[..item.Name.IndexOf('/', StringComparison.Ordinal)], cancellationToken));
            }
        }
        return [.. manifests.OrderByDescending(m => m.StartedAt)];
    }

    public async Task<BackupManifest> ReadManifestAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var content = await Container.GetBlobClient($"{id}/{BackupManifest.FileName}").DownloadContentAsync(cancellationToken);
            return JsonSerializer.Deserialize<BackupManifest>(content.Value.Content.ToMemory().Span, NewsroomJson.Stored)
                ?? throw new InvalidDataException($"The manifest of backup {id} is empty.");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new NotFoundException($"There is no complete backup '{id}' in {StorageNames.TableBackupsContainerName} (an export without its manifest did not finish).");
        }
    }

    /// <summary>
    /// Puts every table back as the export <paramref name="id"/> has it. Tables that hold entities are refused
    /// unless <paramref name="replace"/>, which first empties them. Each file is checked against the manifest
    /// (hash, count) before anything is written. Then every article's index rows are rebuilt from the article
    /// (whatever the desk changed while the export ran) and the homepage is rebuilt from the restored data.
    /// </summary>
    public async Task<BackupManifest> RestoreAsync(string id, bool replace, CancellationToken cancellationToken)
    {
        var manifest = await RestoreTablesAsync(id, replace, cancellationToken);
        var reindexed = 0;
        await foreach (var articleId in articles.IdsAsync(null, 1000, cancellationToken))
        {
            await indexer.ReindexAsync(articleId, cancellationToken);
            reindexed++;
        }
        BackupLog.Reindexed(log, id, reindexed);
        await homepage.RebuildAsync(cancellationToken);
        return manifest;
    }

    private async Task<BackupManifest> RestoreTablesAsync(string id, bool replace, CancellationToken cancellationToken)
    {
        var manifest = await ReadManifestAsync(id, cancellationToken);
        foreach (var export in manifest.Tables)
        {
            await VerifyAsync(export, cancellationToken);
        }
        foreach (var export in manifest.Tables)
        {
            var table = storage.Table(export.Table);
            await table.CreateIfNotExistsAsync(cancellationToken);
            if (await table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).AnyAsync(cancellationToken))
            {
                if (!replace)
                {
                    throw new ConflictException($"Table {export.Table} is not empty; restoring over it needs --replace (which empties every table of the backup first).");
                }
                await EmptyAsync(table, cancellationToken);
            }
        }
        foreach (var export in manifest.Tables)
        {
            var restored = await RestoreTableAsync(export, cancellationToken);
            BackupLog.TableRestored(log, id, export.Table, restored);
        }
        return manifest;
    }

    private async Task VerifyAsync(TableExport export, CancellationToken cancellationToken)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        long lines = 0;
        await using (var source = await Container.GetBlobClient(export.Blob).OpenReadAsync(cancellationToken: cancellationToken))
        await using (var hashing = new HashingStream(source, sha))
        await using (var gzip = new GZipStream(hashing, CompressionMode.Decompress))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await gzip.ReadAsync(buffer, cancellationToken)) > 0)
            {
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }
        }
        var hash = Convert.ToHexStringLower(sha.GetHashAndReset());
        if (hash != export.Sha256 || lines != export.Entities)
        {
            throw new InvalidDataException($"Backup file {export.Blob} does not match its manifest ({lines} entities, sha256 {hash}; the manifest says {export.Entities}, {export.Sha256}). Nothing was restored.");
        }
    }

    private async Task<long> RestoreTableAsync(TableExport export, CancellationToken cancellationToken)
    {
        var table = storage.Table(export.Table);
        long count = 0;
        var batch = new List<TableTransactionAction>(100);
        await using var source = await Container.GetBlobClient(export.Blob).OpenReadAsync(cancellationToken: cancellationToken);
        await using var gzip = new GZipStream(source, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, System.Text.Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var entity = EntityCodec.Read(System.Text.Encoding.UTF8.GetBytes(line));
            // A transaction holds at most 100 entities of one partition (and the export is in partition order).
            if (batch.Count == 100 || (batch.Count > 0 && batch[0].Entity.PartitionKey != entity.PartitionKey))
            {
                await SubmitAsync(table, batch, cancellationToken);
            }
            batch.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity));
            count++;
        }
        await SubmitAsync(table, batch, cancellationToken);
        return count;
    }

    private static async Task SubmitAsync(TableClient table, List<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        if (batch.Count > 0)
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
            batch.Clear();
        }
    }

    /// <summary>Deletes every entity of a table, a partition's 100 at a time.</summary>
    public static async Task EmptyAsync(TableClient table, CancellationToken cancellationToken)
    {
        var batch = new List<TableTransactionAction>(100);
        await foreach (var entity in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (batch.Count == 100 || (batch.Count > 0 && batch[0].Entity.PartitionKey != entity.PartitionKey))
            {
                await SubmitAsync(table, batch, cancellationToken);
            }
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All));
        }
        await SubmitAsync(table, batch, cancellationToken);
    }

    /// <summary>Deletes exports older than Backup:KeepDays, keeping at least the newest complete one.</summary>
    private async Task PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-options.Value.KeepDays);
        var manifests = await ListAsync(cancellationToken);
        foreach (var old in manifests.Skip(1).Where(m => m.StartedAt < cutoff))
        {
            await foreach (var blob in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = old.Id + "/" }, cancellationToken))
            {
                await Container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
            }
            BackupLog.Pruned(log, old.Id);
        }
    }
}

/// <summary>Hashes every byte that passes through, either way.</summary>
internal sealed class HashingStream(Stream inner, System.Security.Cryptography.IncrementalHash hash) : Stream
{
    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        hash.AppendData(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        hash.AppendData(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.AppendData(buffer);
        inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        hash.AppendData(buffer.Span);
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}

internal static partial class BackupLog
{
    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "Tables exported to backup {BackupId}: {Entities} entities in {Tables} tables")]
    public static partial void Exported(ILogger logger, string backupId, long entities, int tables);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Information, Message = "Backup {BackupId}: table {Table} restored with {Entities} entities")]
    public static partial void TableRestored(ILogger logger, string backupId, string table, long entities);

    [LoggerMessage(EventId = 9204, Level = LogLevel.Information, Message = "Backup {BackupId}: {Articles} articles re-indexed from the restored tables")]
    public static partial void Reindexed(ILogger logger, string backupId, int articles);

    [LoggerMessage(EventId = 9203, Level = LogLevel.Information, Message = "Backup {BackupId} pruned (older than Backup:KeepDays)")]
    public static partial void Pruned(ILogger logger, string backupId);
}
