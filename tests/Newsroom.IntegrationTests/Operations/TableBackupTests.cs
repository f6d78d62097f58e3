using Azure.Data.Tables;
using Newsroom.Backup;
using Newsroom.IntegrationTests.Support;
using Newsroom.Storage;

namespace Newsroom.IntegrationTests.Operations;

/// <summary>The nightly export on real storage: what it writes, and that a damaged export restores nothing.</summary>
public sealed class TableBackupTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync();
        await Fixtures.SeedTaxonomyAsync(_host);
        await Fixtures.PublishAsync(_host, "a-1", "Đường Thái Nguyên", _host.Time.GetUtcNow().AddHours(-2), events: ["chuyen-doi-so"]);
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private TableBackup Backup => _host.Get<TableBackup>();

    [Fact]
    public async Task An_export_writes_one_compressed_file_per_table_and_the_manifest_last_and_old_exports_are_pruned()
    {
        var first = await Backup.ExportAsync(CancellationToken.None);
        Assert.Equal(TableBackup.ExportOrder, first.Tables.Select(t => t.Table));
        Assert.True(first.Tables.Single(t => t.Table == StorageNames.ArticlesTableName).Entities > 0);
        var container = _host.Get<StorageClients>().Container(StorageNames.TableBackupsContainerName);
        foreach (var table in first.Tables)
        {
            var blob = container.GetBlobClient(table.Blob);
            var head = (await blob.DownloadContentAsync()).Value.Content.ToArray()[..2];
            Assert.Equal(new byte[] { 0x1f, 0x8b }, head); // gzip
        }

        _host.Time.Advance(TimeSpan.FromDays(40));
        var second = await Backup.ExportAsync(CancellationToken.None);
        var listed = await Backup.ListAsync(CancellationToken.None);
        Assert.Equal([second.Id], listed.Select(m => m.Id));
    }

    [Fact]
    public async Task A_damaged_export_is_refused_before_any_table_is_touched()
    {
        var manifest = await Backup.ExportAsync(CancellationToken.None);
        var listings = manifest.Tables.Single(t => t.Table == StorageNames.ListingsTableName);
        var container = _host.Get<StorageClients>().Container(StorageNames.TableBackupsContainerName);
        var bytes = (await container.GetBlobClient(listings.Blob).DownloadContentAsync()).Value.Content.ToArray();
        bytes[^10] ^= 0xff;
        await container.GetBlobClient(listings.Blob).UploadAsync(new BinaryData(bytes), overwrite: true);

        var articles = _host.Get<StorageClients>().Table(StorageNames.ArticlesTableName);
        var countBefore = await articles.QueryAsync<TableEntity>().CountAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => Backup.RestoreAsync(manifest.Id, replace: true, CancellationToken.None));
        Assert.Equal(countBefore, await articles.QueryAsync<TableEntity>().CountAsync());
    }
}
