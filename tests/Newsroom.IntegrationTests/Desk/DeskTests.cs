using System.Text.Json;
using NetVips;
using Newsroom.Articles;
using Newsroom.Desk;
using Newsroom.Identity;
using Newsroom.IntegrationTests.Support;
using Newsroom.Photos;
using Newsroom.Publishing;
using Newsroom.Reading;
using Newsroom.Storage;

namespace Newsroom.IntegrationTests.Desk;

/// <summary>
/// The desk on real storage: an article's path from reporter to publisher, what each step records, the desk
/// lists, revisions, corrections, preview, scheduled articles coming due, and the photo library.
/// </summary>
public sealed class DeskTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;
    private readonly string _dir = Directory.CreateTempSubdirectory("newsroom-desk-").FullName;

    private ArticleDesk Desk => _host.Get<ArticleDesk>();

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync();
        await Fixtures.SeedTaxonomyAsync(_host);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static ArticleInput Input(string title, string? leadPhoto = null, string? note = null) => new()
    {
        Title = title,
        Summary = "Tóm tắt " + title,
        Category = "kinh-te",
        Events = ["chuyen-doi-so"],
        Blocks = [new ParagraphBlock("Nội dung " + title)],
        Authors = [new Author(DeskUsers.Reporter.Name, "Phóng viên")],
        LeadPhoto = leadPhoto is null ? null : new PhotoRef(leadPhoto, "Chú thích", "Ảnh: Thu Hà"),
        Note = note,
    };

    private static ArticleInput ToInput(DeskArticleView view, string? note = null) => new()
    {
        Title = view.Title,
        Summary = view.Summary,
        Category = view.Category.Slug,
        Events = [.. view.Events.Select(e => e.Slug)],
        Blocks = view.Blocks,
        Authors = view.Authors,
        Tags = view.Tags,
        LeadPhoto = view.LeadPhoto,
        Note = note,
    };

    private void Later(int minutes = 1) => _host.Time.Advance(TimeSpan.FromMinutes(minutes));

    private async Task<IReadOnlyList<string>> DeskListAsync(DeskUser user, string state, string? author = null)
    {
        var page = await Desk.ListAsync(user, state, author, null, null, CancellationToken.None);
        return [.. JsonDocument.Parse(page.Body).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
    }

    [Fact]
    public async Task Reporter_writes_editor_returns_with_a_note_reporter_fixes_editor_approves_publisher_publishes_and_all_of_it_is_on_record()
    {
        var created = await Desk.CreateAsync(DeskUsers.Reporter, Input("Hợp tác xã chè đạt chuẩn OCOP"), CancellationToken.None);
        var id = created.Article.Id;
        Assert.Equal((ArticleStatus.Draft, 1, DeskUsers.Reporter.Id), (created.Article.Status, created.Article.Revision, created.Article.Owner!.Id));
        Assert.Equal(["submit"], created.Article.Allowed);
        Assert.Contains(id, await DeskListAsync(DeskUsers.Reporter, "draft", "me"));
        Assert.DoesNotContain(id, await DeskListAsync(DeskUsers.OtherReporter, "draft", "me"));

        Later();
        var submitted = await Desk.SubmitAsync(DeskUsers.Reporter, id, created.ETag, "Nhờ chị xem giúp", CancellationToken.None);
        Assert.Equal(ArticleStatus.Submitted, submitted.Article.Status);
        Assert.Contains(id, await DeskListAsync(DeskUsers.Editor, "submitted"));
        Assert.DoesNotContain(id, await DeskListAsync(DeskUsers.Reporter, "draft", "me"));

        // The reporter cannot approve their own work; the editor cannot return without saying why.
        var forbidden = await Assert.ThrowsAsync<ForbiddenException>(() => Desk.ApproveAsync(DeskUsers.Reporter, id, null, null, CancellationToken.None));
        Assert.Equal("Editor", forbidden.Members!["requiredRole"]);
        await Assert.ThrowsAsync<ValidationException>(() => Desk.ReturnAsync(DeskUsers.Editor, id, null, "  ", CancellationToken.None));

        Later();
        var returned = await Desk.ReturnAsync(DeskUsers.Editor, id, submitted.ETag, "Thiếu ý kiến của người dân, bổ sung thêm.", CancellationToken.None);
        Assert.Equal((ArticleStatus.Returned, "Thiếu ý kiến của người dân, bổ sung thêm."), (returned.Article.Status, returned.Article.ReturnNote));
        Assert.Contains(id, await DeskListAsync(DeskUsers.Reporter, "returned", "me"));

        Later();
        var fixedUp = await Desk.ReplaceAsync(DeskUsers.Reporter, id, Input("Hợp tác xã chè đạt chuẩn OCOP 4 sao", note: "Đã bổ sung"), returned.ETag, CancellationToken.None);
        Later();
        var resubmitted = await Desk.SubmitAsync(DeskUsers.Reporter, id, fixedUp.ETag, null, CancellationToken.None);
        Assert.Null(resubmitted.Article.ReturnNote);

        // Approved is not published: only a publisher publishes.
        Later();
        var approved = await Desk.ApproveAsync(DeskUsers.Editor, id, resubmitted.ETag, null, CancellationToken.None);
        Assert.Equal(["return", "publish"], approved.Article.Allowed);
        Assert.Equal("Publisher", (await Assert.ThrowsAsync<ForbiddenException>(() =>
            Desk.PublishAsync(DeskUsers.Editor, id, null, null, null, CancellationToken.None))).Members!["requiredRole"]);
        Later();
        var published = await Desk.PublishAsync(DeskUsers.Publisher, id, null, approved.ETag, "Lên trang chủ", CancellationToken.None);
        Assert.Equal(ArticleStatus.Published, published.Article.Status);
        Assert.Equal("hop-tac-xa-che-dat-chuan-ocop-4-sao", published.Article.Slug);
        Assert.NotNull((await _host.Get<ArticleReader>().GetAsync(published.Article.Slug, CancellationToken.None)).Article);
        Assert.Contains(id, await DeskListAsync(DeskUsers.Editor, "published"));
        Assert.DoesNotContain(id, await DeskListAsync(DeskUsers.Editor, "approved"));

        var history = JsonDocument.Parse((await Desk.HistoryAsync(DeskUsers.Reporter, id, CancellationToken.None)).Body).RootElement.GetProperty("entries");
        var lines = history.EnumerateArray().Select(e => (
            e.GetProperty("revision").GetInt32(),
            e.GetProperty("action").GetString(),
            e.GetProperty("by").GetProperty("name").GetString(),
            e.GetProperty("status").GetString(),
            e.GetProperty("note").GetString())).ToList();
        Assert.Equal(
        [
            (7, "published", DeskUsers.Publisher.Name, "published", "Lên trang chủ"),
            (6, "approved", DeskUsers.Editor.Name, "approved", null),
            (5, "submitted", DeskUsers.Reporter.Name, "submitted", null),
            (4, "edited", DeskUsers.Reporter.Name, "returned", "Đã bổ sung"),
            (3, "returned", DeskUsers.Editor.Name, "returned", "Thiếu ý kiến của người dân, bổ sung thêm."),
            (2, "submitted", DeskUsers.Reporter.Name, "submitted", "Nhờ chị xem giúp"),
            (1, "created", DeskUsers.Reporter.Name, "draft", null),
        ], lines);
        // Who, by Entra object id, and when, in Vietnam time.
        Assert.Equal(DeskUsers.Editor.Id, history[1].GetProperty("by").GetProperty("id").GetString());
        Assert.EndsWith("+07:00", history[0].GetProperty("at").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transition_the_state_does_not_allow_is_409_listing_the_allowed_ones_and_changes_nothing()
    {
        var draft = await Desk.CreateAsync(DeskUsers.Reporter, Input("Tin nháp"), CancellationToken.None);

        var e = await Assert.ThrowsAsync<ConflictException>(() => Desk.ApproveAsync(DeskUsers.Editor, draft.Article.Id, null, null, CancellationToken.None));
        Assert.Equal(["submit"], (IEnumerable<string>)e.Members!["allowed"]!);
        await Assert.ThrowsAsync<ConflictException>(() => Desk.PublishAsync(DeskUsers.Publisher, draft.Article.Id, null, null, null, CancellationToken.None));
        await Assert.ThrowsAsync<ConflictException>(() => Desk.CorrectAsync(DeskUsers.Publisher, draft.Article.Id, "Đính chính", null, CancellationToken.None));

        var after = await Desk.GetAsync(DeskUsers.Reporter, draft.Article.Id, CancellationToken.None);
        Assert.Equal((ArticleStatus.Draft, 1, draft.ETag), (after.Article.Status, after.Article.Revision, after.ETag));
        Assert.Single(await _host.Get<ArticleStore>().GetHistoryAsync(draft.Article.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Reporters_edit_only_their_own_drafts_editors_anything_unpublished_and_publishers_published_articles()
    {
        var mine = await Desk.CreateAsync(DeskUsers.Reporter, Input("Bài của tôi"), CancellationToken.None);
        var id = mine.Article.Id;
        Assert.Equal("Editor", (await Assert.ThrowsAsync<ForbiddenException>(() =>
            Desk.ReplaceAsync(DeskUsers.OtherReporter, id, Input("Sửa bài người khác"), mine.ETag, CancellationToken.None))).Members!["requiredRole"]);
        var byEditor = await Desk.ReplaceAsync(DeskUsers.Editor, id, Input("Biên tập viên sửa"), mine.ETag, CancellationToken.None);

        var submitted = await Desk.SubmitAsync(DeskUsers.Reporter, id, byEditor.ETag, null, CancellationToken.None);
        // Submitted: out of the reporter's hands.
        await Assert.ThrowsAsync<ForbiddenException>(() => Desk.ReplaceAsync(DeskUsers.Reporter, id, Input("Sửa khi chờ duyệt"), submitted.ETag, CancellationToken.None));
        var approved = await Desk.ApproveAsync(DeskUsers.Editor, id, submitted.ETag, null, CancellationToken.None);
        var published = await Desk.PublishAsync(DeskUsers.Publisher, id, null, approved.ETag, null, CancellationToken.None);

        Assert.Equal("Publisher", (await Assert.ThrowsAsync<ForbiddenException>(() =>
            Desk.ReplaceAsync(DeskUsers.Editor, id, Input("Sửa bài đã đăng"), published.ETag, CancellationToken.None))).Members!["requiredRole"]);
        var edited = await Desk.ReplaceAsync(DeskUsers.Publisher, id, Input("Tổng biên tập sửa bài đã đăng"), published.ETag, CancellationToken.None);
        Assert.Equal(ArticleStatus.Published, edited.Article.Status);

        // An admin manages sections, not articles.
        await Assert.ThrowsAsync<ForbiddenException>(() => Desk.CreateAsync(DeskUsers.Admin, Input("Quản trị viên viết bài"), CancellationToken.None));
    }

    [Fact]
    public async Task Every_save_keeps_the_version_before_it_and_a_publisher_restores_one_with_a_normal_put()
    {
        var v1 = await Desk.CreateAsync(DeskUsers.Publisher, Input("Phiên bản một"), CancellationToken.None);
        var id = v1.Article.Id;
        Later();
        var v2 = await Desk.ReplaceAsync(DeskUsers.Publisher, id, Input("Phiên bản hai"), v1.ETag, CancellationToken.None);
        Later();
        var v3 = await Desk.ReplaceAsync(DeskUsers.Publisher, id, Input("Phiên bản ba"), v2.ETag, CancellationToken.None);
        Assert.Equal(3, v3.Article.Revision);

        async Task<DeskArticleView> RevisionAsync(int n) =>
            JsonSerializer.Deserialize<DeskArticleView>((await Desk.RevisionAsync(DeskUsers.Reporter, id, n.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None)).Body, Newsroom.Json.NewsroomJson.Options)!;
        Assert.Equal(["Phiên bản một", "Phiên bản hai", "Phiên bản ba"], [(await RevisionAsync(1)).Title, (await RevisionAsync(2)).Title, (await RevisionAsync(3)).Title]);
        await Assert.ThrowsAsync<NotFoundException>(() => Desk.RevisionAsync(DeskUsers.Reporter, id, "4", CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => Desk.RevisionAsync(DeskUsers.Reporter, id, "mot", CancellationToken.None));

        // Restore revision 1: its content, PUT with If-Match like any edit; a stale If-Match still loses nothing.
        var old = await RevisionAsync(1);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Desk.ReplaceAsync(DeskUsers.Publisher, id, ToInput(old, "Khôi phục bản 1"), v2.ETag, CancellationToken.None));
        Later();
        var restored = await Desk.ReplaceAsync(DeskUsers.Publisher, id, ToInput(old, "Khôi phục bản 1"), v3.ETag, CancellationToken.None);
        Assert.Equal(("Phiên bản một", 4), (restored.Article.Title, restored.Article.Revision));
        Assert.Equal("Phiên bản ba", (await RevisionAsync(3)).Title);

        var newest = (await _host.Get<ArticleStore>().GetHistoryAsync(id, CancellationToken.None))[0];
        Assert.Equal((4, "edited", "Khôi phục bản 1", DeskUsers.Publisher.Name), (newest.Revision, newest.Action, newest.Note, newest.By.Name));
    }

    [Fact]
    public async Task A_correction_notice_is_dated_and_readers_see_it_with_the_article()
    {
        var created = await Desk.CreateAsync(DeskUsers.Publisher, Input("Kết quả kỳ thi học sinh giỏi"), CancellationToken.None);
        var published = await new PublisherDesk(Desk).PublishAsync(created.Article.Id, null, null, CancellationToken.None);
        Later(30);

        await Assert.ThrowsAsync<ForbiddenException>(() => Desk.CorrectAsync(DeskUsers.Editor, created.Article.Id, "Đính chính", null, CancellationToken.None));
        await Assert.ThrowsAsync<ValidationException>(() => Desk.CorrectAsync(DeskUsers.Publisher, created.Article.Id, "", null, CancellationToken.None));
        var corrected = await Desk.CorrectAsync(DeskUsers.Publisher, created.Article.Id,
            "Bài viết trước đây ghi nhầm số giải Nhất là 12; con số đúng là 21.", published.ETag, CancellationToken.None);

        var correction = Assert.Single(corrected.Article.Corrections);
        Assert.Equal(_host.Time.GetUtcNow(), correction.At);
        var page = JsonDocument.Parse((await _host.Get<ArticleReader>().GetAsync(published.Article.Slug, CancellationToken.None)).Article!.Body).RootElement;
        var seen = Assert.Single(page.GetProperty("corrections").EnumerateArray());
        Assert.Equal("Bài viết trước đây ghi nhầm số giải Nhất là 12; con số đúng là 21.", seen.GetProperty("text").GetString());
        Assert.EndsWith("+07:00", seen.GetProperty("at").GetString(), StringComparison.Ordinal);
        Assert.Equal("corrected", (await _host.Get<ArticleStore>().GetHistoryAsync(created.Article.Id, CancellationToken.None))[0].Action);
    }

    [Fact]
    public async Task The_preview_of_a_draft_is_the_page_readers_will_get_with_its_photos_and_related_news()
    {
        var photo = await ReadyPhotoAsync();
        var earlier = await Fixtures.PublishAsync(_host, "earlier", "Tin cùng sự kiện đã đăng", _host.Time.GetUtcNow().AddHours(-2), "kinh-te", ["chuyen-doi-so"]);
        var draft = await Desk.CreateAsync(DeskUsers.Reporter, Input("Bản nháp xem trước", leadPhoto: photo.Id), CancellationToken.None);

        var preview = JsonDocument.Parse((await Desk.PreviewAsync(DeskUsers.Reporter, draft.Article.Id, CancellationToken.None)).Body).RootElement;

        Assert.Equal("Bản nháp xem trước", preview.GetProperty("title").GetString());
        Assert.NotEmpty(preview.GetProperty("leadPhoto").GetProperty("renditions").EnumerateArray());
        Assert.Equal(earlier.Article.Id, Assert.Single(preview.GetProperty("sameEvent").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("Kinh tế", preview.GetProperty("category").GetProperty("name").GetString());
        // Readers still cannot see it.
        await Assert.ThrowsAsync<NotFoundException>(() => _host.Get<ArticleReader>().GetAsync(draft.Article.Slug, CancellationToken.None));
    }

    [Fact]
    public async Task A_scheduled_article_becomes_published_on_record_when_its_time_comes()
    {
        var created = await Desk.CreateAsync(DeskUsers.Publisher, Input("Tin hẹn giờ"), CancellationToken.None);
        var at = _host.Time.GetUtcNow().AddMinutes(30);
        var scheduled = await new PublisherDesk(Desk).PublishAsync(created.Article.Id, at, null, CancellationToken.None);
        Assert.Equal(ArticleStatus.Scheduled, scheduled.Article.Status);
        Assert.Equal(0, await Desk.PublishDueAsync(CancellationToken.None));
        Assert.Contains(created.Article.Id, await DeskListAsync(DeskUsers.Editor, "scheduled"));

        Later(31);
        // Readers see it at its time, before any job runs; the desk shows it published too.
        Assert.NotNull((await _host.Get<ArticleReader>().GetAsync(scheduled.Article.Slug, CancellationToken.None)).Article);
        Assert.Equal(ArticleStatus.Published, (await Desk.GetAsync(DeskUsers.Editor, created.Article.Id, CancellationToken.None)).Article.Status);

        Assert.Equal(1, await Desk.PublishDueAsync(CancellationToken.None));
        Assert.Equal(0, await Desk.PublishDueAsync(CancellationToken.None));
        Assert.DoesNotContain(created.Article.Id, await DeskListAsync(DeskUsers.Editor, "scheduled"));
        Assert.Contains(created.Article.Id, await DeskListAsync(DeskUsers.Editor, "published"));
        var newest = (await _host.Get<ArticleStore>().GetHistoryAsync(created.Article.Id, CancellationToken.None))[0];
        Assert.Equal(("published", DeskActor.System.Id), (newest.Action, newest.By.Id));
        Assert.Equal(at, (await Desk.GetAsync(DeskUsers.Editor, created.Article.Id, CancellationToken.None)).Article.PublishedAt);
    }

    [Fact]
    public async Task Desk_lists_are_newest_change_first_paged_with_cursors_bound_to_their_list()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var created = await Desk.CreateAsync(DeskUsers.Reporter, Input($"Bài chờ duyệt {i}"), CancellationToken.None);
            Later();
            await Desk.SubmitAsync(DeskUsers.Reporter, created.Article.Id, created.ETag, null, CancellationToken.None);
            ids.Add(created.Article.Id);
            Later();
        }
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = JsonDocument.Parse((await Desk.ListAsync(DeskUsers.Editor, "submitted", null, "2", cursor, CancellationToken.None)).Body).RootElement;
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(Enumerable.Reverse(ids), seen);

        var first = JsonDocument.Parse((await Desk.ListAsync(DeskUsers.Editor, "submitted", null, "2", null, CancellationToken.None)).Body).RootElement;
        var item = first.GetProperty("items")[0];
        Assert.Equal((DeskUsers.Reporter.Name, "kinh-te", "submitted"),
            (item.GetProperty("owner").GetProperty("name").GetString(), item.GetProperty("category").GetProperty("slug").GetString(), item.GetProperty("status").GetString()));
        var otherList = first.GetProperty("nextCursor").GetString();
        await Assert.ThrowsAsync<BadRequestException>(() => Desk.ListAsync(DeskUsers.Editor, "approved", null, null, otherList, CancellationToken.None));
        await Assert.ThrowsAsync<BadRequestException>(() => Desk.ListAsync(DeskUsers.Editor, "waiting", null, null, null, CancellationToken.None));
        await Assert.ThrowsAsync<BadRequestException>(() => Desk.ListAsync(DeskUsers.Editor, "draft", "someone-else", null, null, CancellationToken.None));
    }

    private async Task<PhotoRecord> ReadyPhotoAsync(DeskActor? by = null)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".jpg");
        using (var image = (Image.Black(400, 300, bands: 3) + new double[] { 40, 140, 90 }).Cast(Enums.BandFormat.Uchar))
        {
            image.Jpegsave(path);
        }
        await using var upload = await PhotoUpload.FromFileAsync(path, "Đồi chè Tân Cương", "Ảnh: Thu Hà", null, CancellationToken.None);
        var photo = await _host.Get<PhotoService>().AcceptAsync(upload, CancellationToken.None, uploadedBy: by);
        await _host.Get<PhotoProcessor>().ProcessAsync(new PhotoJob(photo.Id), 1, CancellationToken.None);
        return photo;
    }

    private async Task<string[]> BlobsAsync(string container, string photoId)
    {
        var names = new List<string>();
        await foreach (var blob in _host.Get<StorageClients>().Container(container).GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = photoId + "/" }))
        {
            names.Add(blob.Name);
        }
        return [.. names];
    }

    [Fact]
    public async Task The_photo_library_lists_newest_first_and_a_photo_in_use_by_a_published_article_cannot_be_deleted()
    {
        var reporter = DeskUsers.Reporter.Actor;
        var older = await ReadyPhotoAsync(reporter);
        Later();
        var newer = await ReadyPhotoAsync(reporter);

        var library = JsonDocument.Parse((await _host.Get<PhotoLibrary>().ListAsync(DeskUsers.Reporter, null, null, CancellationToken.None)).Body).RootElement;
        var items = library.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([newer.Id, older.Id], items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal((DeskUsers.Reporter.Name, "ready", "Ảnh: Thu Hà", "Đồi chè Tân Cương"),
            (items[0].GetProperty("uploadedBy").GetProperty("name").GetString(), items[0].GetProperty("status").GetString(),
             items[0].GetProperty("credit").GetString(), items[0].GetProperty("caption").GetString()));

        var article = await Desk.CreateAsync(DeskUsers.Publisher, Input("Bài có ảnh", leadPhoto: older.Id), CancellationToken.None);
        await new PublisherDesk(Desk).PublishAsync(article.Article.Id, null, null, CancellationToken.None);

        await Assert.ThrowsAsync<ForbiddenException>(() => _host.Get<PhotoLibrary>().DeleteAsync(DeskUsers.Reporter, older.Id, CancellationToken.None));
        var refused = await Assert.ThrowsAsync<ConflictException>(() => _host.Get<PhotoLibrary>().DeleteAsync(DeskUsers.Editor, older.Id, CancellationToken.None));
        var user = Assert.Single((IEnumerable<PhotoUser>)refused.Members!["usedBy"]!);
        Assert.Equal((article.Article.Id, "Bài có ảnh"), (user.Id, user.Title));
        Assert.Contains("Bài có ảnh", refused.Message, StringComparison.Ordinal);
        Assert.NotEmpty(await BlobsAsync(StorageNames.RenditionsContainerName, older.Id));

        // A running story's cover is as public as an article.
        Later();
        var cover = await ReadyPhotoAsync(reporter);
        await _host.Get<Newsroom.Taxonomy.TaxonomyEditor>().CreateEventAsync(DeskUsers.Admin,
            new Newsroom.Taxonomy.EventInput("Mùa lũ 2026", CoverPhoto: new PhotoRef(cover.Id, null, null)), CancellationToken.None);
        var coverRefused = await Assert.ThrowsAsync<ConflictException>(() => _host.Get<PhotoLibrary>().DeleteAsync(DeskUsers.Editor, cover.Id, CancellationToken.None));
        Assert.Contains("Mùa lũ 2026", coverRefused.Message, StringComparison.Ordinal);
        Assert.NotNull(coverRefused.Members!["coverOf"]);

        // Used only by a draft: it goes, with its original and every rendition.
        await Desk.CreateAsync(DeskUsers.Reporter, Input("Nháp có ảnh", leadPhoto: newer.Id), CancellationToken.None);
        Assert.NotEmpty(await BlobsAsync(StorageNames.RenditionsContainerName, newer.Id));
        await _host.Get<PhotoLibrary>().DeleteAsync(DeskUsers.Editor, newer.Id, CancellationToken.None);
        Assert.Empty(await BlobsAsync(StorageNames.RenditionsContainerName, newer.Id));
        Assert.Empty(await BlobsAsync(StorageNames.PhotoOriginalsContainerName, newer.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.Get<PhotoService>().GetAsync(newer.Id, CancellationToken.None));
        var after = JsonDocument.Parse((await _host.Get<PhotoLibrary>().ListAsync(DeskUsers.Reporter, null, null, CancellationToken.None)).Body).RootElement;
        Assert.Equal([cover.Id, older.Id], after.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.Get<PhotoLibrary>().DeleteAsync(DeskUsers.Editor, newer.Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_photo_an_article_in_review_shows_stays_and_one_deleted_from_under_an_approved_article_stops_its_publication_with_a_422()
    {
        var photo = await ReadyPhotoAsync(DeskUsers.Reporter.Actor);
        var draft = await Desk.CreateAsync(DeskUsers.Reporter, Input("Bài chờ duyệt có ảnh", leadPhoto: photo.Id), CancellationToken.None);
        var submitted = await Desk.SubmitAsync(DeskUsers.Reporter, draft.Article.Id, null, null, CancellationToken.None);
        var library = _host.Get<PhotoLibrary>();
        await Assert.ThrowsAsync<ConflictException>(() => library.DeleteAsync(DeskUsers.Editor, photo.Id, CancellationToken.None));

        // Returned to its author, the article no longer holds the photo; the photo goes; publishing it later says why not.
        var returned = await Desk.ReturnAsync(DeskUsers.Editor, draft.Article.Id, submitted.ETag, "Đổi ảnh khác", CancellationToken.None);
        await library.DeleteAsync(DeskUsers.Editor, photo.Id, CancellationToken.None);
        await Desk.SubmitAsync(DeskUsers.Reporter, draft.Article.Id, returned.ETag, null, CancellationToken.None);
        await Desk.ApproveAsync(DeskUsers.Editor, draft.Article.Id, null, null, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<ValidationException>(() => Desk.PublishAsync(DeskUsers.Publisher, draft.Article.Id, null, null, null, CancellationToken.None));
        Assert.Contains(photo.Id, refused.Message, StringComparison.Ordinal);
        Assert.Equal(ArticleStatus.Approved, (await Desk.GetAsync(DeskUsers.Editor, draft.Article.Id, CancellationToken.None)).Article.Status);
    }

    [Fact]
    public async Task Deleting_again_finishes_a_delete_that_stopped_after_the_record_was_removed()
    {
        var photo = await ReadyPhotoAsync();
        await _host.Get<PhotoStore>().DeleteAsync(photo.Id, CancellationToken.None); // as if the delete stopped here
        Assert.NotEmpty(await BlobsAsync(StorageNames.RenditionsContainerName, photo.Id));

        await _host.Get<PhotoLibrary>().DeleteAsync(DeskUsers.Editor, photo.Id, CancellationToken.None);

        Assert.Empty(await BlobsAsync(StorageNames.RenditionsContainerName, photo.Id));
        Assert.Empty(await BlobsAsync(StorageNames.PhotoOriginalsContainerName, photo.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.Get<PhotoLibrary>().DeleteAsync(DeskUsers.Editor, photo.Id, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.Get<PhotoLibrary>().DeleteAsync(DeskUsers.Editor, "../renditions", CancellationToken.None));
    }

    [Fact]
    public async Task An_article_shows_at_most_150_different_photos()
    {
        var blocks = Enumerable.Range(0, ArticleValidator.MaxPhotos + 1).Select(i => (ArticleBlock)new ImageBlock($"p-nhieu-{i}", null, null)).ToList();
        var e = await Assert.ThrowsAsync<ValidationException>(() =>
            Desk.CreateAsync(DeskUsers.Reporter, Input("Phóng sự ảnh quá dài") with { Blocks = blocks }, CancellationToken.None));
        Assert.Contains("At most 150 different photos", string.Join(" ", e.Errors!["blocks"]), StringComparison.Ordinal);
    }
}
