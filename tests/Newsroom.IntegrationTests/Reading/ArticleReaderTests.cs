using System.Text.Json;
using Newsroom.Articles;
using Newsroom.IntegrationTests.Support;
using Newsroom.Json;
using Newsroom.Publishing;
using Newsroom.Reading;

namespace Newsroom.IntegrationTests.Reading;

public sealed class ArticleReaderTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync();
        await Fixtures.SeedTaxonomyAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<ArticleView> ReadAsync(string slug)
    {
        var lookup = await _host.Get<ArticleReader>().GetAsync(slug, CancellationToken.None);
        return JsonSerializer.Deserialize<ArticleView>(lookup.Article!.Body, NewsroomJson.Options)!;
    }

    [Fact]
    public async Task The_article_comes_with_same_event_and_other_news_neither_containing_itself_nor_each_other()
    {
        var now = _host.Time.GetUtcNow();
        var main = await Fixtures.PublishAsync(_host, "main", "Ra mắt chính quyền số cấp xã", now.AddMinutes(-30), "thoi-su", ["chuyen-doi-so"]);
        await Fixtures.PublishAsync(_host, "ev-new", "Kinh tế số khởi sắc", now.AddMinutes(-10), "kinh-te", ["chuyen-doi-so"]);
        await Fixtures.PublishAsync(_host, "ev-old", "Thanh toán số ở chợ", now.AddMinutes(-50), "thoi-su", ["chuyen-doi-so"]);
        await Fixtures.PublishAsync(_host, "cat-1", "Hội nghị tổng kết năm", now.AddMinutes(-20), "thoi-su");
        await Fixtures.PublishAsync(_host, "other-event", "Lũ về nhanh", now.AddMinutes(-5), "thoi-su", ["mua-lu-2026"]);
        await Fixtures.PublishAsync(_host, "draft", "Bản nháp", now.AddMinutes(-1), "thoi-su", ["chuyen-doi-so"], ArticleStatus.Draft);

        var view = await ReadAsync(main.Article.Slug);

        Assert.Equal("Ra mắt chính quyền số cấp xã", view.Title);
        Assert.Equal(new CategoryRef("thoi-su", "Thời sự"), view.Category);
        Assert.Equal([new EventRef("chuyen-doi-so", "Chuyển đổi số")], view.Events);
        Assert.Equal("Ảnh: Thu Hà", view.LeadPhoto!.Credit);
        Assert.Equal(["ev-new", "ev-old"], view.SameEvent.Select(t => t.Id));
        Assert.Equal(["other-event", "cat-1"], view.OtherNews.Select(t => t.Id));
    }

    [Fact]
    public async Task After_a_title_change_the_old_slug_points_to_the_new_one()
    {
        var writer = _host.Get<ArticleWriter>();
        var created = await Fixtures.PublishAsync(_host, "renamed", "Tiêu đề ban đầu", _host.Time.GetUtcNow().AddMinutes(-1));
        var updated = await writer.UpdateAsync(created.Article, created.Article with { Title = "Tiêu đề đã sửa" }, created.ETag, CancellationToken.None);

        Assert.Equal("tieu-de-da-sua", updated.Article.Slug);
        Assert.Equal(["tieu-de-ban-dau"], updated.Article.PreviousSlugs);
        var old = await _host.Get<ArticleReader>().GetAsync("tieu-de-ban-dau", CancellationToken.None);
        Assert.Equal("tieu-de-da-sua", old.MovedTo);
        Assert.Equal("Tiêu đề đã sửa", (await ReadAsync("tieu-de-da-sua")).Title);
    }

    [Theory]
    [InlineData(ArticleStatus.Draft, -1)]
    [InlineData(ArticleStatus.Unpublished, -1)]
    [InlineData(ArticleStatus.Scheduled, 30)]
    public async Task Non_public_articles_are_not_found(ArticleStatus status, int minutesFromNow)
    {
        var stored = await Fixtures.PublishAsync(_host, "np-" + status, "Chưa công khai " + status, _host.Time.GetUtcNow().AddMinutes(minutesFromNow), status: status);
        await Assert.ThrowsAsync<NotFoundException>(() => _host.Get<ArticleReader>().GetAsync(stored.Article.Slug, CancellationToken.None));
    }

    [Fact]
    public async Task A_scheduled_article_becomes_readable_when_the_clock_passes_its_time()
    {
        var stored = await Fixtures.PublishAsync(_host, "sched", "Tin hẹn giờ", _host.Time.GetUtcNow().AddMinutes(30), status: ArticleStatus.Scheduled);
        await Assert.ThrowsAsync<NotFoundException>(() => _host.Get<ArticleReader>().GetAsync(stored.Article.Slug, CancellationToken.None));
        _host.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal("sched", (await ReadAsync(stored.Article.Slug)).Id);
    }

    [Theory]
    [InlineData("khong-ton-tai")]
    [InlineData("Chữ-Hoa")]
    [InlineData("a--b")]
    public async Task Unknown_or_malformed_slugs_are_not_found(string slug) =>
        await Assert.ThrowsAsync<NotFoundException>(() => _host.Get<ArticleReader>().GetAsync(slug, CancellationToken.None));
}
