using Newsroom.Articles;
using Newsroom.IntegrationTests.Support;
using Newsroom.Json;
using Newsroom.Storage;

namespace Newsroom.IntegrationTests.Storage;

public sealed class ArticleStoreTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;

    public async Task InitializeAsync() => _host = await NewsroomTestHost.CreateAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Article WithBody(string id, int approximateChars, bool incompressible)
    {
        var random = new Random(42);
        const string Letters = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ ";
        var blocks = new List<ArticleBlock>();
        for (var written = 0; written < approximateChars; written += 2000)
        {
            var text = incompressible
                ? new string([.. Enumerable.Range(0, 2000).Select(_ => Letters[random.Next(Letters.Length)])])
                : string.Concat(Enumerable.Repeat("Đồng bào các dân tộc tỉnh Thái Nguyên đoàn kết phát triển. ", 34));
            blocks.Add(new ParagraphBlock(text));
        }
        return new Article { Id = id, Slug = id, Title = "Bài dài " + id, Category = "thoi-su", Blocks = blocks };
    }

    private async Task<string[]> OverflowBlobsAsync(string id)
    {
        var container = _host.Get<StorageClients>().Container(StorageNames.ArticleDocumentsContainerName);
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = id + "/" }))
        {
            names.Add(blob.Name);
        }
        return [.. names];
    }

    [Fact]
    public async Task A_300_KB_article_round_trips_exactly_in_one_entity()
    {
        var store = _host.Get<ArticleStore>();
        var article = WithBody("a300", 300_000, incompressible: true);
        Assert.True(NewsroomJson.SerializeToUtf8Bytes(article).Length > 300_000);

        await store.InsertAsync(article, CancellationToken.None);
        var back = await store.GetAsync("a300", CancellationToken.None);

        Assert.Equal(NewsroomJson.SerializeToUtf8Bytes(article), NewsroomJson.SerializeToUtf8Bytes(back!.Article));
        Assert.Empty(await OverflowBlobsAsync("a300"));
    }

    [Fact]
    public async Task An_article_larger_than_an_entity_round_trips_through_an_overflow_blob_that_stays_as_its_revision()
    {
        var store = _host.Get<ArticleStore>();
        var huge = WithBody("ahuge", 1_600_000, incompressible: true) with { Revision = 1 };

        var etag = await store.InsertAsync(huge, CancellationToken.None);
        var back = await store.GetAsync("ahuge", CancellationToken.None);
        Assert.Equal(NewsroomJson.SerializeToUtf8Bytes(huge), NewsroomJson.SerializeToUtf8Bytes(back!.Article));
        Assert.Single(await OverflowBlobsAsync("ahuge"));

        await store.ReplaceAsync(huge with { Revision = 2, Blocks = [new ParagraphBlock("Đã rút gọn.")] }, etag, CancellationToken.None);
        Assert.Single((await store.GetAsync("ahuge", CancellationToken.None))!.Article.Blocks);

        // The long version is no longer the article but is still its revision 1, read from the same blob.
        Assert.Single(await OverflowBlobsAsync("ahuge"));
        var first = await store.GetRevisionAsync("ahuge", 1, CancellationToken.None);
        Assert.Equal(NewsroomJson.SerializeToUtf8Bytes(huge), NewsroomJson.SerializeToUtf8Bytes(first!));
        Assert.Single((await store.GetRevisionAsync("ahuge", 2, CancellationToken.None))!.Blocks);
        Assert.Null(await store.GetRevisionAsync("ahuge", 3, CancellationToken.None));
    }

    [Fact]
    public async Task Every_write_records_its_change_newest_first_and_a_refused_write_records_nothing()
    {
        var store = _host.Get<ArticleStore>();
        var reporter = new Newsroom.Identity.DeskActor("oid-1", "Hoàng Minh Đức");
        var editor = new Newsroom.Identity.DeskActor("oid-2", "Lê Thu Hà");
        var at = new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);
        var article = WithBody("ahist", 100, false) with { Revision = 1, UpdatedAt = at };

        var first = await store.InsertAsync(article, CancellationToken.None, new ArticleChange(reporter, "created"));
        var second = await store.ReplaceAsync(article with { Revision = 2, UpdatedAt = at.AddMinutes(5), Status = ArticleStatus.Submitted }, first,
            CancellationToken.None, new ArticleChange(reporter, "submitted", "Nhờ anh xem giúp"));
        await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            store.ReplaceAsync(article with { Revision = 2, UpdatedAt = at.AddMinutes(6) }, first, CancellationToken.None, new ArticleChange(editor, "edited")));

        var history = await store.GetHistoryAsync("ahist", CancellationToken.None);
        Assert.Collection(history,
            e => Assert.Equal((2, "submitted", "Hoàng Minh Đức", ArticleStatus.Submitted, "Nhờ anh xem giúp", at.AddMinutes(5)), (e.Revision, e.Action, e.By.Name, e.Status, e.Note, e.At)),
            e => Assert.Equal((1, "created", "oid-1", ArticleStatus.Draft, (string?)null), (e.Revision, e.Action, e.By.Id, e.Status, e.Note)));
        Assert.Null(await store.GetRevisionAsync("ahist", 3, CancellationToken.None));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task A_stale_etag_is_refused_and_leaves_neither_the_change_nor_an_orphan_blob()
    {
        var store = _host.Get<ArticleStore>();
        var first = await store.InsertAsync(WithBody("astale", 1000, false), CancellationToken.None);
        await store.ReplaceAsync(WithBody("astale", 3000, false), first, CancellationToken.None);

        await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            store.ReplaceAsync(WithBody("astale", 1_600_000, incompressible: true), first, CancellationToken.None));

        Assert.Empty(await OverflowBlobsAsync("astale"));
        Assert.Equal(2, (await store.GetAsync("astale", CancellationToken.None))!.Article.Blocks.Count);
    }

    [Fact]
    public async Task Inserting_an_existing_id_is_a_conflict()
    {
        var store = _host.Get<ArticleStore>();
        await store.InsertAsync(WithBody("adup", 10, false), CancellationToken.None);
        await Assert.ThrowsAsync<ConflictException>(() => store.InsertAsync(WithBody("adup", 10, false), CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_article_reads_as_null() =>
        Assert.Null(await _host.Get<ArticleStore>().GetAsync("khong-co", CancellationToken.None));
}
