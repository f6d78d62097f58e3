using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Newsroom.Identity;
using Newsroom.IntegrationTests.Support;
using Newsroom.LocalHost.Identity;

namespace Newsroom.IntegrationTests.EndToEnd;

/// <summary>
/// The desk over HTTP on the local host, signed in with tokens from its development issuer: who may do what,
/// every bad token, the article's whole path, history and revisions, concurrent editors, the desk lists,
/// corrections, preview, the photo library and CORS for the editors' front end.
/// </summary>
public sealed class DeskApiTests(EmptyLocalHostFixture fixture) : IClassFixture<EmptyLocalHostFixture>
{
    private HttpClient Client => fixture.Client;

    private Task<DeskClient> SignInAsync(string name, params string[] roles) => DeskClient.SignInAsync(Client, name, roles);

    private static object Draft(string title, string category = "kinh-te", object? leadPhoto = null) => new
    {
        title,
        summary = "Tóm tắt: " + title,
        category,
        events = new[] { "chuyen-doi-so" },
        blocks = new object[] { new { type = "paragraph", text = "Nội dung " + title } },
        authors = new[] { new { name = "Hoàng Minh Đức", position = "Phóng viên" } },
        leadPhoto,
    };

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    [Fact]
    public async Task The_development_issuer_gives_a_token_for_a_name_and_roles_and_says_what_is_wrong_with_a_bad_request()
    {
        using var response = await Client.PostAsJsonAsync("/api/dev/token", new { name = "Lương Thị Thu Hà", roles = new[] { "Reporter", "Editor" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)DevelopmentTokenIssuer.Lifetime.TotalSeconds, body.GetProperty("expiresIn").GetInt32());
        var token = new JsonWebToken(body.GetProperty("accessToken").GetString());
        Assert.Equal(("RS256", "Lương Thị Thu Hà", DevelopmentTokenIssuer.UserId("Lương Thị Thu Hà")), (token.Alg, token.GetClaim("name").Value, token.GetClaim("oid").Value));
        Assert.Equal(["Reporter", "Editor"], token.Claims.Where(c => c.Type == "roles").Select(c => c.Value));

        using var unknownRole = await Client.PostAsJsonAsync("/api/dev/token", new { name = "Ai đó", roles = new[] { "Chief" } });
        Assert.Contains("roles[0]", (await ProblemAsync(unknownRole, HttpStatusCode.UnprocessableEntity)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        using var noName = await Client.PostAsJsonAsync("/api/dev/token", new { roles = new[] { "Reporter" } });
        Assert.Contains("name", (await ProblemAsync(noName, HttpStatusCode.UnprocessableEntity)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        using var notJson = await Client.PostAsync("/api/dev/token", new StringContent("name=x", Encoding.UTF8, "application/json"));
        await ProblemAsync(notJson, HttpStatusCode.BadRequest);
    }

    private static string Base64Url(object value) => Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(value));

    /// <summary>Tokens the app must refuse, each for one reason.</summary>
    private string BadToken(string kind)
    {
        var issuer = fixture.Host.Tokens;
        var now = DateTimeOffset.UtcNow;
        DeskRole[] publisher = [DeskRole.Publisher];
        return kind switch
        {
            "malformed" => "not-a.jwt",
            "expired" => issuer.Issue("Người đã đăng xuất", publisher, now.AddHours(-9), TimeSpan.FromHours(1)),
            "another audience" => issuer.Issue("Người dùng", publisher, now, audience: "api://another-newspaper"),
            "another tenant" => issuer.Issue("Người dùng", publisher, now, issuer: "https://login.microsoftonline.com/00000000-0000-0000-0000-00000000beef/v2.0"),
            "unsigned (alg none)" => Base64Url(new { alg = "none", typ = "JWT" }) + "." + Base64Url(new Dictionary<string, object>
            {
                ["iss"] = DevelopmentTokenIssuer.Issuer,
                ["aud"] = DeskSignIn.DevelopmentAudience,
                ["oid"] = "forged",
                ["name"] = "Kẻ giả mạo",
                ["roles"] = new[] { "Publisher", "Admin" },
                ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
                ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
            }) + ".",
            "an unknown key" => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = DevelopmentTokenIssuer.Issuer,
                Audience = DeskSignIn.DevelopmentAudience,
                Subject = new ClaimsIdentity([new Claim("oid", "forged"), new Claim("name", "Kẻ giả mạo"), new Claim("roles", "Publisher")]),
                Expires = now.AddHours(1).UtcDateTime,
                SigningCredentials = new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "forged-key" }, SecurityAlgorithms.RsaSha256),
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    [Theory]
    [InlineData("malformed", "well-formed")]
    [InlineData("expired", "expired")]
    [InlineData("another audience", "audience")]
    [InlineData("another tenant", "tenant")]
    [InlineData("unsigned (alg none)", "RS256")]
    [InlineData("an unknown key", "sign")]
    public async Task A_bad_token_is_refused_with_401_an_invalid_token_challenge_and_problem_json_saying_why(string kind, string why)
    {
        using var request = DeskClient.Request(HttpMethod.Post, "/api/articles", BadToken(kind), Draft("Bài với thẻ xấu: " + kind));
        using var response = await Client.SendAsync(request);

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(why, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        using var listing = await Client.GetAsync("/api/desk/articles?state=draft", HttpCompletionOption.ResponseContentRead);
        Assert.Equal(HttpStatusCode.Unauthorized, listing.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    public async Task No_bearer_token_is_401_with_a_plain_bearer_challenge(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/desk/articles");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        using var response = await Client.SendAsync(request);
        await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    /// <summary>
    /// Who may do what: each row is a role, an action on an article in the state the action needs, and the
    /// role the desk names when it refuses (null: allowed).
    /// </summary>
    public static TheoryData<string, string, string?> Matrix()
    {
        var data = new TheoryData<string, string, string?>();
        var rules = new (string Action, string? Reporter, string? Editor, string? Publisher, string? Admin)[]
        {
            ("create", null, null, null, "Reporter"),
            ("edit someone else's draft", "Editor", null, null, "Editor"),
            ("edit a submitted article", "Editor", null, null, "Editor"),
            ("return", "Editor", null, null, "Editor"),
            ("approve", "Editor", null, null, "Editor"),
            ("publish", "Publisher", "Publisher", null, "Publisher"),
            ("schedule", "Publisher", "Publisher", null, "Publisher"),
            ("edit a published article", "Publisher", "Publisher", null, "Publisher"),
            ("unpublish", "Publisher", "Publisher", null, "Publisher"),
            ("correct", "Publisher", "Publisher", null, "Publisher"),
            ("pin the homepage", "Publisher", "Publisher", null, "Publisher"),
            ("list the desk", null, null, null, "Reporter"),
            ("create a section", "Admin", "Admin", "Admin", null),
            ("create an event", "Admin", "Admin", "Admin", null),
        };
        foreach (var rule in rules)
        {
            data.Add("Reporter", rule.Action, rule.Reporter);
            data.Add("Editor", rule.Action, rule.Editor);
            data.Add("Publisher", rule.Action, rule.Publisher);
            data.Add("Admin", rule.Action, rule.Admin);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_may_do_what_its_place_in_the_newsroom_allows_and_is_refused_the_rest_with_the_role_it_needs(string role, string action, string? refusedFor)
    {
        var publisher = await DeskClient.PublisherAsync(Client);
        var someoneElse = await SignInAsync("Phóng viên khác", "Reporter");
        var user = await SignInAsync("Người thử quyền " + role, role);

        async Task<DeskArticle> ArticleAsync(string state)
        {
            var article = await someoneElse.CreateAsync(Draft($"Bài để thử: {role} {action} {Guid.NewGuid():N}"));
            if (state == "draft")
            {
                return article;
            }
            article = await someoneElse.ActAsync(article.Id, "submit");
            if (state == "submitted")
            {
                return article;
            }
            article = await publisher.ActAsync(article.Id, "approve");
            return state == "approved" ? article : await publisher.ActAsync(article.Id, "publish");
        }

        var unique = Guid.NewGuid().ToString("N")[..8];
        HttpRequestMessage request = action switch
        {
            "create" => user.Request(HttpMethod.Post, "/api/articles", Draft("Bài mới " + unique)),
            "edit someone else's draft" => await EditAsync("draft"),
            "edit a submitted article" => await EditAsync("submitted"),
            "edit a published article" => await EditAsync("published"),
            "return" => user.Request(HttpMethod.Post, $"/api/articles/{(await ArticleAsync("submitted")).Id}/return", new { note = "Viết lại phần mở đầu." }),
            "approve" => user.Request(HttpMethod.Post, $"/api/articles/{(await ArticleAsync("submitted")).Id}/approve"),
            "publish" => user.Request(HttpMethod.Post, $"/api/articles/{(await ArticleAsync("approved")).Id}/publish"),
            "schedule" => user.Request(HttpMethod.Post, $"/api/articles/{(await ArticleAsync("approved")).Id}/publish", new { publishAt = DateTimeOffset.UtcNow.AddDays(2) }),
            "unpublish" => user.Request(HttpMethod.Post, $"/api/articles/{(await ArticleAsync("published")).Id}/unpublish"),
            "correct" => user.Request(HttpMethod.Post, $"/api/articles/{(await ArticleAsync("published")).Id}/corrections", new { text = "Đính chính số liệu." }),
            "pin the homepage" => user.Request(HttpMethod.Put, "/api/homepage/layout", new { topStories = Array.Empty<string>(), featuredVideos = Array.Empty<string>() },
                (await publisher.ExpectJsonAndETagAsync("/api/homepage/layout")).ETag),
            "list the desk" => user.Request(HttpMethod.Get, "/api/desk/articles?state=submitted"),
            "create a section" => user.Request(HttpMethod.Post, "/api/categories", new { name = "Chuyên mục " + unique }),
            "create an event" => user.Request(HttpMethod.Post, "/api/events", new { name = "Sự kiện " + unique }),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };

        async Task<HttpRequestMessage> EditAsync(string state)
        {
            var article = await ArticleAsync(state);
            var body = article.Json.GetRawText().Replace("Bài để thử", "Bài đã sửa", StringComparison.Ordinal);
            return user.Request(HttpMethod.Put, $"/api/articles/{article.Id}", body, article.ETag);
        }

        using (request)
        using (var response = await Client.SendAsync(request))
        {
            if (refusedFor is null)
            {
                Assert.True(response.IsSuccessStatusCode, $"{role} should be able to {action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                return;
            }
            var problem = await ProblemAsync(response, HttpStatusCode.Forbidden);
            Assert.Equal(refusedFor, problem.GetProperty("requiredRole").GetString());
            Assert.Contains($"the {refusedFor} role", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_token_with_no_newsroom_role_reads_like_anyone_and_does_nothing_at_the_desk()
    {
        var nobody = await SignInAsync("Khách");
        using var create = await nobody.SendAsync(HttpMethod.Post, "/api/articles", Draft("Bài của khách"));
        Assert.Equal("Reporter", (await ProblemAsync(create, HttpStatusCode.Forbidden)).GetProperty("requiredRole").GetString());
        using var read = await Client.SendAsync(nobody.Request(HttpMethod.Get, "/api/categories"));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Reporter_to_editor_to_publisher_with_a_return_and_its_note_then_readers_get_it_and_the_history_tells_it_all()
    {
        var reporter = await SignInAsync("Hoàng Minh Đức", "Reporter");
        var editor = await SignInAsync("Lương Thị Thu Hà", "Editor");
        var publisher = await SignInAsync("Đặng Quốc Việt", "Publisher");

        var draft = await reporter.CreateAsync(Draft("Thái Nguyên khởi công khu công nghiệp mới"));
        Assert.Equal(("draft", "Hoàng Minh Đức"), (draft.Status, draft.Json.GetProperty("owner").GetProperty("name").GetString()));
        var submitted = await reporter.ActAsync(draft.Id, "submit", new { note = "Gửi anh chị duyệt" }, draft.ETag);
        Assert.Equal("submitted", submitted.Status);
        var queue = await editor.ExpectJsonAsync(HttpMethod.Get, "/api/desk/articles?state=submitted");
        Assert.Contains(draft.Id, queue.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));

        using (var noNote = await editor.SendAsync(HttpMethod.Post, $"/api/articles/{draft.Id}/return"))
        {
            Assert.Contains("note", (await ProblemAsync(noNote, HttpStatusCode.UnprocessableEntity)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }
        var returned = await editor.ActAsync(draft.Id, "return", new { note = "Cần thêm số vốn đầu tư và thời gian hoàn thành." });
        Assert.Equal(("returned", "Cần thêm số vốn đầu tư và thời gian hoàn thành."), (returned.Status, returned.Json.GetProperty("returnNote").GetString()));

        // The reporter finds it among their returned articles, with the note, and fixes it.
        var mine = await reporter.ExpectJsonAsync(HttpMethod.Get, "/api/desk/articles?state=returned&author=me");
        Assert.Equal(draft.Id, Assert.Single(mine.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var current = await reporter.GetAsync(draft.Id);
        var fixedBody = current.Json.GetRawText().Replace("Nội dung Thái", "Tổng vốn đầu tư 3.000 tỷ đồng, hoàn thành năm 2028. Nội dung Thái", StringComparison.Ordinal);
        var fixedUp = await reporter.ExpectArticleAsync(HttpMethod.Put, $"/api/articles/{draft.Id}", fixedBody, current.ETag);
        await reporter.ActAsync(draft.Id, "submit", ifMatch: fixedUp.ETag);

        // An editor approving does not put it in front of readers; a publisher does.
        var approved = await editor.ActAsync(draft.Id, "approve");
        Assert.Equal(["return", "publish"], approved.Json.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()));
        using (var early = await Client.GetAsync("/api/articles/" + approved.Slug))
        {
            Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        }
        using (var notYours = await editor.SendAsync(HttpMethod.Post, $"/api/articles/{draft.Id}/publish"))
        {
            await ProblemAsync(notYours, HttpStatusCode.Forbidden);
        }
        var published = await publisher.ActAsync(draft.Id, "publish");
        Assert.Equal("published", published.Status);
        using (var page = await Client.GetAsync("/api/articles/" + published.Slug))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("3.000 tỷ đồng", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Publishing again is not a transition a published article has: 409 with what it allows.
        using (var again = await publisher.SendAsync(HttpMethod.Post, $"/api/articles/{draft.Id}/publish"))
        {
            var problem = await ProblemAsync(again, HttpStatusCode.Conflict);
            Assert.Equal(["unpublish", "correct"], problem.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()));
        }

        var history = await reporter.ExpectJsonAsync(HttpMethod.Get, $"/api/articles/{draft.Id}/history");
        var entries = history.GetProperty("entries").EnumerateArray()
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("by").GetProperty("name").GetString(), e.GetProperty("note").GetString())).ToList();
        Assert.Equal(
        [
            ("published", "Đặng Quốc Việt", null),
            ("approved", "Lương Thị Thu Hà", null),
            ("submitted", "Hoàng Minh Đức", null),
            ("edited", "Hoàng Minh Đức", null),
            ("returned", "Lương Thị Thu Hà", "Cần thêm số vốn đầu tư và thời gian hoàn thành."),
            ("submitted", "Hoàng Minh Đức", "Gửi anh chị duyệt"),
            ("created", "Hoàng Minh Đức", null),
        ], entries);
        Assert.All(history.GetProperty("entries").EnumerateArray(), e => Assert.EndsWith("+07:00", e.GetProperty("at").GetString(), StringComparison.Ordinal));
        Assert.Equal(DevelopmentTokenIssuer.UserId("Lương Thị Thu Hà"), history.GetProperty("entries")[1].GetProperty("by").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_job_notice_is_served_with_its_organisation_and_deadline_until_it_expires_then_answers_410_and_leaves_listings_and_search()
    {
        var publisher = await SignInAsync("Đặng Quốc Việt", "Publisher");
        var deadline = DateTimeOffset.UtcNow.AddHours(1);
        var notice = new
        {
            title = "Thông báo tuyển dụng kỹ sư cầu đường",
            summary = "Ban Quản lý dự án tuyển kỹ sư",
            category = "kinh-te",
            blocks = new object[] { new { type = "paragraph", text = "Hồ sơ gửi về Ban Quản lý dự án đầu tư xây dựng." } },
            job = new { organisation = "Ban Quản lý dự án đầu tư xây dựng tỉnh", deadline },
        };

        // A deadline already past, or a notice with no organisation: 422 naming the field, nothing created.
        using (var past = await publisher.SendAsync(HttpMethod.Post, "/api/articles", new { notice.title, notice.category, notice.blocks, job = new { organisation = "Sở Y tế", deadline = DateTimeOffset.UtcNow.AddMinutes(-5) } }))
        {
            Assert.Equal(["job.deadline"], (await ProblemAsync(past, HttpStatusCode.UnprocessableEntity)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }
        using (var nobody = await publisher.SendAsync(HttpMethod.Post, "/api/articles", new { notice.title, notice.category, notice.blocks, job = new { deadline } }))
        {
            Assert.Equal(["job.organisation"], (await ProblemAsync(nobody, HttpStatusCode.UnprocessableEntity)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }

        var created = await publisher.CreateAsync(notice);
        Assert.EndsWith("+07:00", created.Json.GetProperty("expireAt").GetString(), StringComparison.Ordinal);
        var published = await publisher.PublishAsync(created.Id);
        using (var page = await Client.GetAsync("/api/articles/" + published.Slug))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var json = JsonDocument.Parse(await page.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("Ban Quản lý dự án đầu tư xây dựng tỉnh", json.GetProperty("job").GetProperty("organisation").GetString());
            // No cache may keep it, or serve it stale, past its expiry.
            Assert.Equal("public, max-age=60, stale-while-revalidate=0, stale-if-error=0", page.Headers.CacheControl!.ToString());
        }

        // The publisher brings the expiry close; from then on readers get 410 Gone, and it is out of listings and search.
        var current = await publisher.GetAsync(created.Id);
        var soon = DateTimeOffset.UtcNow.AddSeconds(15);
        var body = JsonNode.Parse(current.Json.GetRawText())!;
        body["expireAt"] = soon.ToString("O");
        await publisher.ExpectArticleAsync(HttpMethod.Put, $"/api/articles/{created.Id}", body.ToJsonString(), current.ETag);
        var gone = await Eventually.PollAsync(() => Client.GetAsync("/api/articles/" + published.Slug), r => r.StatusCode == HttpStatusCode.Gone,
            "the article to answer 410 once its expiry has passed");
        Assert.True(DateTimeOffset.UtcNow >= soon);
        Assert.Contains("expired", (await ProblemAsync(gone, HttpStatusCode.Gone)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var listed = await Eventually.PollAsync(async () => JsonDocument.Parse(await Client.GetStringAsync("/api/categories/kinh-te/articles")).RootElement.Clone(),
            l => l.GetProperty("items").EnumerateArray().All(i => i.GetProperty("id").GetString() != created.Id),
            "the category listing to leave out the expired notice (its first page is cached a few seconds)");
        Assert.DoesNotContain(created.Id, listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        var found = JsonDocument.Parse(await Client.GetStringAsync("/api/search?q=" + Uri.EscapeDataString("kỹ sư cầu đường"))).RootElement;
        Assert.Equal(0, found.GetProperty("total").GetInt64());
        Assert.Equal("expired", (await publisher.GetAsync(created.Id)).Status);
    }

    [Fact]
    public async Task An_admin_creates_and_renames_a_themed_column_over_http_and_its_listing_follows()
    {
        var admin = await SignInAsync("Nguyễn Thị Lan", "Admin");
        var publisher = await SignInAsync("Đặng Quốc Việt", "Publisher");
        using (var notAdmin = await publisher.SendAsync(HttpMethod.Post, "/api/columns", new { name = "Chuyển đổi xanh" }))
        {
            await ProblemAsync(notAdmin, HttpStatusCode.Forbidden);
        }
        using (var bad = await admin.SendAsync(HttpMethod.Post, "/api/columns", new { name = "", order = -1 }))
        {
            Assert.Equal(["name", "order"], (await ProblemAsync(bad, HttpStatusCode.UnprocessableEntity)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        }
        var created = await admin.ExpectJsonAsync(HttpMethod.Post, "/api/columns", new { name = "Chuyển đổi xanh", description = "Kinh tế tuần hoàn ở cơ sở", order = 1 }, expected: HttpStatusCode.Created);
        Assert.Equal(("chuyen-doi-xanh", true), (created.GetProperty("slug").GetString(), created.GetProperty("active").GetBoolean()));

        var draft = await publisher.CreateAsync(new { title = "Hợp tác xã tái chế phụ phẩm nông nghiệp", category = "kinh-te", columns = new[] { "chuyen-doi-xanh" },
            blocks = new object[] { new { type = "paragraph", text = "Nội dung." } } });
        await publisher.PublishAsync(draft.Id);
        var (column, etag) = await admin.ExpectJsonAndETagAsync("/api/columns/chuyen-doi-xanh");
        Assert.Equal("Kinh tế tuần hoàn ở cơ sở", column.GetProperty("description").GetString());
        using (var noIfMatch = await admin.SendAsync(HttpMethod.Put, "/api/columns/chuyen-doi-xanh", new { name = "Kinh tế xanh" }))
        {
            await ProblemAsync(noIfMatch, HttpStatusCode.PreconditionRequired);
        }
        var renamed = await admin.ExpectJsonAsync(HttpMethod.Put, "/api/columns/chuyen-doi-xanh", new { name = "Kinh tế xanh" }, etag);
        Assert.Equal("kinh-te-xanh", renamed.GetProperty("slug").GetString());

        using (var old = await Client.GetAsync("/api/columns/chuyen-doi-xanh/articles")) // the client does not follow redirects
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
            Assert.EndsWith("/api/columns/kinh-te-xanh/articles", old.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
        var listing = JsonDocument.Parse(await Client.GetStringAsync("/api/columns/kinh-te-xanh/articles")).RootElement;
        Assert.Equal(draft.Id, Assert.Single(listing.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Contains("kinh-te-xanh", JsonDocument.Parse(await Client.GetStringAsync("/api/columns")).RootElement.EnumerateArray().Select(c => c.GetProperty("slug").GetString()));
    }

    [Fact]
    public async Task A_print_issue_goes_from_the_browser_to_storage_through_the_sas_is_published_listed_and_downloaded_and_bad_files_are_refused()
    {
        var admin = await SignInAsync("Nguyễn Thị Lan", "Admin");
        var editor = await SignInAsync("Lương Thị Thu Hà", "Editor");
        var publisher = await SignInAsync("Đặng Quốc Việt", "Publisher");
        using var browser = new HttpClient(); // the editors' front end, talking to storage with nothing but the SAS

        var periodical = await admin.ExpectJsonAsync(HttpMethod.Post, "/api/periodicals", new { name = "Báo Hằng tháng", order = 1 }, expected: HttpStatusCode.Created);
        Assert.Equal("bao-hang-thang", periodical.GetProperty("slug").GetString());
        using (var twice = await admin.SendAsync(HttpMethod.Post, "/api/periodicals", new { name = "Báo Hằng tháng" }))
        {
            await ProblemAsync(twice, HttpStatusCode.Conflict);
        }
        var (_, periodicalETag) = await admin.ExpectJsonAndETagAsync("/api/desk/periodicals/bao-hang-thang");
        using (var noIfMatch = await admin.SendAsync(HttpMethod.Put, "/api/periodicals/bao-hang-thang", new { name = "Báo Thái Nguyên Hằng tháng", order = 1 }))
        {
            await ProblemAsync(noIfMatch, HttpStatusCode.PreconditionRequired);
        }
        var renamed = await admin.ExpectJsonAsync(HttpMethod.Put, "/api/periodicals/bao-hang-thang", new { name = "Báo Thái Nguyên Hằng tháng", order = 1 }, periodicalETag);
        Assert.Equal(("bao-hang-thang", "Báo Thái Nguyên Hằng tháng"), (renamed.GetProperty("slug").GetString(), renamed.GetProperty("name").GetString()));

        Task<string> UploadAsync(byte[] bytes) => UploadPdfAsync(editor, "/api/print-issues/uploads", browser, bytes);
        object Issue(string uploadId) => new { periodical = "bao-hang-thang", number = "Số 122", title = "Số 122/Tháng 11 năm 2026 – Báo Hằng tháng", issuedOn = "2026-11", uploadId };

        using (var reporter = await (await SignInAsync("Hoàng Minh Đức", "Reporter")).SendAsync(HttpMethod.Post, "/api/print-issues/uploads"))
        {
            await ProblemAsync(reporter, HttpStatusCode.Forbidden);
        }
        var pdf = Newsroom.LocalHost.Demo.DemoPrint.Pdf("Bao Hang thang 11/2026", 5);
        var upload = await UploadAsync(pdf);
        var issue = await publisher.ExpectJsonAsync(HttpMethod.Post, "/api/print-issues", Issue(upload), expected: HttpStatusCode.Created);
        Assert.Equal((5, "2026-11"), (issue.GetProperty("pdf").GetProperty("pages").GetInt32(), issue.GetProperty("issuedOn").GetString()));

        var list = JsonDocument.Parse(await Client.GetStringAsync("/api/print-issues?periodical=bao-hang-thang&year=2026")).RootElement;
        Assert.Equal(upload, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        // Its pages are found by their text, each with its page number (page 2 of the demo PDF carries this headline).
        var pages = JsonDocument.Parse(await Client.GetStringAsync("/api/search/print?periodical=bao-hang-thang&q=" + Uri.EscapeDataString("chuyển đổi số"))).RootElement;
        var page = Assert.Single(pages.GetProperty("items").EnumerateArray());
        Assert.Equal((upload, 2), (page.GetProperty("issue").GetProperty("id").GetString(), page.GetProperty("page").GetInt32()));
        Assert.Contains("chuyen doi so", page.GetProperty("snippet").GetString(), StringComparison.Ordinal);
        using (var tooShort = await Client.GetAsync("/api/search/print?q=a"))
        {
            await ProblemAsync(tooShort, HttpStatusCode.BadRequest);
        }
        var one = JsonDocument.Parse(await Client.GetStringAsync("/api/print-issues/" + upload)).RootElement;
        using (var redirect = await Client.GetAsync(one.GetProperty("pdf").GetProperty("url").GetString()))
        {
            Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
            Assert.True(redirect.Headers.CacheControl?.NoStore);
            Assert.Equal(pdf, await browser.GetByteArrayAsync(redirect.Headers.Location));
        }

        using (var notPdf = await publisher.SendAsync(HttpMethod.Post, "/api/print-issues", Issue(await UploadAsync("<html>số báo</html>"u8.ToArray()))))
        {
            await ProblemAsync(notPdf, HttpStatusCode.UnsupportedMediaType);
        }
        using (var truncated = await publisher.SendAsync(HttpMethod.Post, "/api/print-issues", Issue(await UploadAsync(pdf[..(pdf.Length / 2)]))))
        {
            Assert.Equal(["uploadId"], (await ProblemAsync(truncated, HttpStatusCode.UnprocessableEntity)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }
        var oversized = new byte[EmptyLocalHostFixture.MaxPdfBytes + 1];
        pdf.CopyTo(oversized, 0);
        var big = await UploadAsync(oversized);
        using (var tooLarge = await publisher.SendAsync(HttpMethod.Post, "/api/print-issues", Issue(big)))
        {
            await ProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge);
        }
        using (var gone = await publisher.SendAsync(HttpMethod.Post, "/api/print-issues", Issue(big)))
        {
            Assert.Contains("No file has been uploaded", (await ProblemAsync(gone, HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        list = JsonDocument.Parse(await Client.GetStringAsync("/api/print-issues")).RootElement;
        Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Contains("bao-hang-thang", JsonDocument.Parse(await Client.GetStringAsync("/api/periodicals")).RootElement.EnumerateArray().Select(p => p.GetProperty("slug").GetString()));

        // Corrected with If-Match (the desk's ETag), then withdrawn: gone from the list, its PDF too.
        var (desk, etag) = await publisher.ExpectJsonAndETagAsync("/api/desk/print-issues/" + upload);
        Assert.Equal("Số 122", desk.GetProperty("number").GetString());
        using (var noIfMatch = await publisher.SendAsync(HttpMethod.Put, "/api/print-issues/" + upload, new { periodical = "bao-hang-thang", number = "Số 123", title = "Số 123", issuedOn = "2026-11" }))
        {
            await ProblemAsync(noIfMatch, HttpStatusCode.PreconditionRequired);
        }
        var corrected = await publisher.ExpectJsonAsync(HttpMethod.Put, "/api/print-issues/" + upload, new { periodical = "bao-hang-thang", number = "Số 123", title = "Số 123/Tháng 11 năm 2026", issuedOn = "2026-11" }, etag);
        Assert.Equal("Số 123", corrected.GetProperty("number").GetString());
        using (var stale = await publisher.SendAsync(HttpMethod.Delete, "/api/print-issues/" + upload, ifMatch: etag))
        {
            await ProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        }
        var (_, current) = await publisher.ExpectJsonAndETagAsync("/api/desk/print-issues/" + upload);
        using (var withdrawn = await publisher.SendAsync(HttpMethod.Delete, "/api/print-issues/" + upload, ifMatch: current))
        {
            Assert.Equal(HttpStatusCode.NoContent, withdrawn.StatusCode);
        }
        using (var after = await Client.GetAsync("/api/print-issues/" + upload))
        {
            Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        }
        var empty = await Eventually.PollAsync(async () => JsonDocument.Parse(await Client.GetStringAsync("/api/print-issues")).RootElement.Clone(),
            l => l.GetProperty("items").GetArrayLength() == 0, "the list to leave out the withdrawn issue (its first page is cached a few seconds)");
        Assert.Equal(0, empty.GetProperty("items").GetArrayLength());
        Assert.Equal(0, JsonDocument.Parse(await Client.GetStringAsync("/api/search/print?q=" + Uri.EscapeDataString("chuyển đổi số"))).RootElement.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_legal_document_gets_its_pdf_through_the_upload_path_with_if_match_and_readers_download_it()
    {
        var publisher = await SignInAsync("Đặng Quốc Việt", "Publisher");
        using var browser = new HttpClient();
        Task<string> UploadAsync(byte[] bytes) => UploadPdfAsync(publisher, "/api/desk/uploads", browser, bytes);

        var created = await publisher.CreateAsync(new
        {
            title = "Quy định giá dịch vụ trông giữ xe",
            summary = "Quyết định của UBND tỉnh",
            category = "kinh-te",
            blocks = new object[] { new { type = "paragraph", text = "Toàn văn đăng kèm theo." } },
            legal = new { number = "25/2026/QĐ-UBND", type = "Quyết định", issuer = "UBND tỉnh Thái Nguyên", signedAt = "2026-11-20T00:00:00+07:00" },
        });
        var published = await publisher.PublishAsync(created.Id);
        var pdf = Newsroom.LocalHost.Demo.DemoPrint.Pdf("25/2026/QD-UBND", 2);
        var upload = await UploadAsync(pdf);
        using (var noIfMatch = await publisher.SendAsync(HttpMethod.Put, $"/api/articles/{created.Id}/attachment", new { uploadId = upload }))
        {
            await ProblemAsync(noIfMatch, HttpStatusCode.PreconditionRequired);
        }
        using (var notPdf = await publisher.SendAsync(HttpMethod.Put, $"/api/articles/{created.Id}/attachment", new { uploadId = await UploadAsync("<html>văn bản</html>"u8.ToArray()) }, ifMatch: (await publisher.GetAsync(created.Id)).ETag))
        {
            await ProblemAsync(notPdf, HttpStatusCode.UnsupportedMediaType);
        }
        var attached = await publisher.ExpectJsonAsync(HttpMethod.Put, $"/api/articles/{created.Id}/attachment", new { uploadId = upload }, (await publisher.GetAsync(created.Id)).ETag);
        Assert.Equal(2, attached.GetProperty("legal").GetProperty("attachment").GetProperty("pages").GetInt32());

        var document = await Eventually.PollAsync(async () => JsonDocument.Parse(await Client.GetStringAsync("/api/legal-documents/" + published.Slug)).RootElement.Clone(),
            d => d.GetProperty("legal").TryGetProperty("attachment", out _), "the document's page to show its PDF (the page is cached a few seconds)");
        var url = document.GetProperty("legal").GetProperty("attachment").GetProperty("url").GetString();
        Assert.Equal($"/api/legal-documents/{published.Slug}/pdf", url);
        using (var redirect = await Client.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
            Assert.True(redirect.Headers.CacheControl?.NoStore);
            Assert.Equal(pdf, await browser.GetByteArrayAsync(redirect.Headers.Location));
        }

        var (_, etag) = await publisher.ExpectJsonAndETagAsync($"/api/articles/{created.Id}/draft");
        using (var detached = await publisher.SendAsync(HttpMethod.Delete, $"/api/articles/{created.Id}/attachment", ifMatch: etag))
        {
            Assert.Equal(HttpStatusCode.OK, detached.StatusCode);
        }
        await AssertProblemEventuallyAsync($"/api/legal-documents/{published.Slug}/pdf", HttpStatusCode.NotFound);
    }

    /// <summary>Asks the desk for an upload address and PUTs the bytes to storage with it, as the editors' front end does.</summary>
    private static async Task<string> UploadPdfAsync(DeskClient desk, string ticketPath, HttpClient browser, byte[] bytes)
    {
        var ticket = await desk.ExpectJsonAsync(HttpMethod.Post, ticketPath, expected: HttpStatusCode.Created);
        Assert.Equal(EmptyLocalHostFixture.MaxPdfBytes, ticket.GetProperty("maxBytes").GetInt64());
        using var put = new HttpRequestMessage(HttpMethod.Put, ticket.GetProperty("uploadUrl").GetString()) { Content = new ByteArrayContent(bytes) };
        put.Headers.Add("x-ms-blob-type", ticket.GetProperty("headers").GetProperty("x-ms-blob-type").GetString());
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var stored = await browser.SendAsync(put);
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        return ticket.GetProperty("uploadId").GetString()!;
    }

    private async Task AssertProblemEventuallyAsync(string path, HttpStatusCode status)
    {
        using var response = await Eventually.PollAsync(() => Client.GetAsync(path), r => r.StatusCode == status, $"{path} to answer {(int)status}");
        await ProblemAsync(response, status);
    }

    [Fact]
    public async Task Revisions_keep_every_save_and_a_publisher_restores_one_with_a_put_that_is_on_record()
    {
        var publisher = await DeskClient.PublisherAsync(Client);
        var v1 = await publisher.CreateAsync(Draft("Giá lúa tăng"));
        var v2 = await publisher.ExpectArticleAsync(HttpMethod.Put, $"/api/articles/{v1.Id}", v1.Json.GetRawText().Replace("Giá lúa tăng", "Giá lúa tăng mạnh", StringComparison.Ordinal), v1.ETag);
        var v3 = await publisher.ExpectArticleAsync(HttpMethod.Put, $"/api/articles/{v1.Id}", v2.Json.GetRawText().Replace("tăng mạnh", "tăng kỷ lục", StringComparison.Ordinal), v2.ETag);
        Assert.Equal(3, v3.Json.GetProperty("revision").GetInt32());

        var titles = new List<string?>();
        for (var n = 1; n <= 3; n++)
        {
            titles.Add((await publisher.ExpectJsonAsync(HttpMethod.Get, $"/api/articles/{v1.Id}/revisions/{n}")).GetProperty("title").GetString());
        }
        Assert.Equal(["Giá lúa tăng", "Giá lúa tăng mạnh", "Giá lúa tăng kỷ lục"], titles);
        using (var missing = await publisher.SendAsync(HttpMethod.Get, $"/api/articles/{v1.Id}/revisions/9"))
        {
            Assert.Contains("revisions 1 to 3", (await ProblemAsync(missing, HttpStatusCode.NotFound)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // Restore revision 1: what GET revisions/1 returned, PUT back with the current ETag and a note.
        var first = await publisher.ExpectJsonAsync(HttpMethod.Get, $"/api/articles/{v1.Id}/revisions/1");
        var restoreBody = JsonSerializer.Serialize(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(first.GetRawText())!
            .Append(new KeyValuePair<string, JsonElement>("note", JsonSerializer.SerializeToElement("Khôi phục bản 1"))).ToDictionary());
        using (var stale = await publisher.SendAsync(HttpMethod.Put, $"/api/articles/{v1.Id}", restoreBody, v2.ETag))
        {
            await ProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        }
        var restored = await publisher.ExpectArticleAsync(HttpMethod.Put, $"/api/articles/{v1.Id}", restoreBody, v3.ETag);
        Assert.Equal(("Giá lúa tăng", 4), (restored.Json.GetProperty("title").GetString(), restored.Json.GetProperty("revision").GetInt32()));

        var newest = (await publisher.ExpectJsonAsync(HttpMethod.Get, $"/api/articles/{v1.Id}/history")).GetProperty("entries")[0];
        Assert.Equal((4, "edited", "Khôi phục bản 1"), (newest.GetProperty("revision").GetInt32(), newest.GetProperty("action").GetString(), newest.GetProperty("note").GetString()));
    }

    [Fact]
    public async Task Two_editors_saving_the_same_version_at_once_one_wins_the_other_gets_412_and_nothing_is_lost()
    {
        var reporter = await SignInAsync("Trịnh Ngọc Diệp", "Reporter");
        var draft = await reporter.CreateAsync(Draft("Tin hai người cùng sửa"));
        await reporter.ActAsync(draft.Id, "submit");
        var first = await SignInAsync("Biên tập viên A", "Editor");
        var second = await SignInAsync("Biên tập viên B", "Editor");
        var seen = await first.GetAsync(draft.Id);

        var responses = await Task.WhenAll(
            first.SendAsync(HttpMethod.Put, $"/api/articles/{draft.Id}", seen.Json.GetRawText().Replace("cùng sửa", "sửa bởi A", StringComparison.Ordinal), seen.ETag),
            second.SendAsync(HttpMethod.Put, $"/api/articles/{draft.Id}", seen.Json.GetRawText().Replace("cùng sửa", "sửa bởi B", StringComparison.Ordinal), seen.ETag));
        try
        {
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], responses.Select(r => r.StatusCode).Order());
            var loser = responses.Single(r => r.StatusCode == HttpStatusCode.PreconditionFailed);
            Assert.Contains("GET it again", (await ProblemAsync(loser, HttpStatusCode.PreconditionFailed)).GetProperty("detail").GetString(), StringComparison.Ordinal);
            var winner = JsonDocument.Parse(await responses.Single(r => r.StatusCode == HttpStatusCode.OK).Content.ReadAsStringAsync()).RootElement;

            var now = await first.GetAsync(draft.Id);
            Assert.Equal(winner.GetProperty("title").GetString(), now.Json.GetProperty("title").GetString());
            var edits = (await first.ExpectJsonAsync(HttpMethod.Get, $"/api/articles/{draft.Id}/history")).GetProperty("entries").EnumerateArray()
                .Count(e => e.GetProperty("action").GetString() == "edited");
            Assert.Equal(1, edits);
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task Desk_lists_page_newest_change_first_by_state_and_author_and_refuse_what_they_do_not_know()
    {
        var reporter = await SignInAsync("Phóng viên danh sách " + Guid.NewGuid().ToString("N")[..6], "Reporter");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await reporter.CreateAsync(Draft($"Nháp số {i}"))).Id);
        }
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await reporter.ExpectJsonAsync(HttpMethod.Get, "/api/desk/articles?state=draft&author=me&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(Enumerable.Reverse(ids), seen);

        using (var badState = await reporter.SendAsync(HttpMethod.Get, "/api/desk/articles?state=cho-duyet"))
        {
            Assert.Contains("submitted", (await ProblemAsync(badState, HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        using (var badAuthor = await reporter.SendAsync(HttpMethod.Get, "/api/desk/articles?state=draft&author=someone"))
        {
            await ProblemAsync(badAuthor, HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task A_correction_reaches_readers_in_the_article_json_and_the_preview_shows_a_draft_as_readers_will_see_it()
    {
        var publisher = await DeskClient.PublisherAsync(Client);
        var article = await publisher.CreateAsync(Draft("Lịch cắt điện tuần này"));
        using (var previewResponse = await publisher.SendAsync(HttpMethod.Get, $"/api/articles/{article.Id}/preview"))
        {
            Assert.Equal(HttpStatusCode.OK, previewResponse.StatusCode);
            Assert.Contains("no-store", previewResponse.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
            var preview = JsonDocument.Parse(await previewResponse.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(("Lịch cắt điện tuần này", "Kinh tế"), (preview.GetProperty("title").GetString(), preview.GetProperty("category").GetProperty("name").GetString()));
            Assert.Equal(JsonValueKind.Array, preview.GetProperty("otherNews").ValueKind);
            Assert.Equal(JsonValueKind.Array, preview.GetProperty("sameEvent").ValueKind);
        }
        var published = await publisher.PublishAsync(article.Id);

        var corrected = await publisher.ExpectArticleAsync(HttpMethod.Post, $"/api/articles/{article.Id}/corrections",
            new { text = "Lịch cắt điện ở phường Phan Đình Phùng là ngày 3/12, không phải 2/12." });
        Assert.Single(corrected.Json.GetProperty("corrections").EnumerateArray());

        var page = JsonDocument.Parse(await Client.GetStringAsync("/api/articles/" + published.Slug)).RootElement;
        var correction = Assert.Single(page.GetProperty("corrections").EnumerateArray());
        Assert.Equal("Lịch cắt điện ở phường Phan Đình Phùng là ngày 3/12, không phải 2/12.", correction.GetProperty("text").GetString());
        Assert.EndsWith("+07:00", correction.GetProperty("at").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_photo_library_lists_uploads_and_a_photo_a_published_article_shows_cannot_be_deleted_while_an_unused_one_goes_entirely()
    {
        var reporter = await SignInAsync("Trần Văn Ảnh", "Reporter");
        var editor = await SignInAsync("Biên tập ảnh", "Editor");
        var publisher = await DeskClient.PublisherAsync(Client);

        async Task<JsonElement> UploadAsync(string caption)
        {
            using var image = (NetVips.Image.Black(320, 240, bands: 3) + new double[] { 60, 120, 30 }).Cast(NetVips.Enums.BandFormat.Uchar);
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(image.JpegsaveBuffer());
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "file", "anh.jpg");
            form.Add(new StringContent(caption), "caption");
            form.Add(new StringContent("Ảnh: Trần Văn Ảnh"), "credit");
            using var accepted = await reporter.SendAsync(HttpMethod.Post, "/api/photos", form);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            return await Eventually.PollAsync(async () => JsonDocument.Parse(await Client.GetStringAsync(accepted.Headers.Location)).RootElement.Clone(),
                p => p.GetProperty("status").GetString() != "processing", "the photo to be processed");
        }

        var used = await UploadAsync("Ảnh dùng trong bài");
        var unused = await UploadAsync("Ảnh không dùng");
        var (usedId, unusedId) = (used.GetProperty("id").GetString()!, unused.GetProperty("id").GetString()!);

        var library = await reporter.ExpectJsonAsync(HttpMethod.Get, "/api/desk/photos?limit=50");
        var items = library.GetProperty("items").EnumerateArray().ToList();
        var order = items.Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.True(order.IndexOf(unusedId) < order.IndexOf(usedId), "newest first");
        var listed = items.Single(i => i.GetProperty("id").GetString() == unusedId);
        Assert.Equal(("Trần Văn Ảnh", "Ảnh không dùng", "Ảnh: Trần Văn Ảnh", "ready"),
            (listed.GetProperty("uploadedBy").GetProperty("name").GetString(), listed.GetProperty("caption").GetString(),
             listed.GetProperty("credit").GetString(), listed.GetProperty("status").GetString()));

        var article = await publisher.CreateAsync(Draft("Bài có ảnh đại diện", leadPhoto: new { photoId = usedId, caption = "Chú thích" }));
        await publisher.PublishAsync(article.Id);

        using (var refused = await editor.SendAsync(HttpMethod.Delete, "/api/photos/" + usedId))
        {
            var problem = await ProblemAsync(refused, HttpStatusCode.Conflict);
            Assert.Equal(article.Id, Assert.Single(problem.GetProperty("usedBy").EnumerateArray()).GetProperty("id").GetString());
        }
        using (var reporterDelete = await reporter.SendAsync(HttpMethod.Delete, "/api/photos/" + unusedId))
        {
            Assert.Equal("Editor", (await ProblemAsync(reporterDelete, HttpStatusCode.Forbidden)).GetProperty("requiredRole").GetString());
        }

        var renditionUrl = unused.GetProperty("renditions")[0].GetProperty("url").GetString()!;
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(renditionUrl)).StatusCode);
        using (var deleted = await editor.SendAsync(HttpMethod.Delete, "/api/photos/" + unusedId))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/photos/" + unusedId)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(renditionUrl)).StatusCode);
        // Readers get the photo, not who on the staff uploaded it.
        var forReaders = JsonDocument.Parse(await Client.GetStringAsync("/api/photos/" + usedId)).RootElement;
        Assert.False(forReaders.TryGetProperty("uploadedBy", out _));
    }

    [Fact]
    public async Task The_editors_front_end_on_its_own_origin_may_call_the_desk()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/articles/abc");
        preflight.Headers.Add("Origin", EmptyLocalHostFixture.EditorOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization, if-match, content-type");
        using var response = await Client.SendAsync(preflight);
        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(EmptyLocalHostFixture.EditorOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var other = new HttpRequestMessage(HttpMethod.Options, "/api/articles/abc");
        other.Headers.Add("Origin", "https://not-the-newsroom.example");
        other.Headers.Add("Access-Control-Request-Method", "PUT");
        using var refused = await Client.SendAsync(other);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
