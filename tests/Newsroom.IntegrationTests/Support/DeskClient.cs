using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Newsroom.Json;

namespace Newsroom.IntegrationTests.Support;

/// <summary>An article as the desk API answers it: its editor view and its ETag.</summary>
public sealed record DeskArticle(JsonElement Json, string ETag)
{
    public string Id => Json.GetProperty("id").GetString()!;

    public string Slug => Json.GetProperty("slug").GetString()!;

    public string Status => Json.GetProperty("status").GetString()!;
}

/// <summary>
/// A member of the newsroom over HTTP, as an editors' front end is: signed in with a token from the local
/// host's development issuer (<c>POST /api/dev/token</c>), sent as <c>Authorization: Bearer</c>.
/// </summary>
public sealed class DeskClient(HttpClient http, string name, string token)
{
    public string Name { get; } = name;

    public string Token { get; } = token;

    /// <summary>Asks the local host's development issuer for a token for <paramref name="name"/> with <paramref name="roles"/>.</summary>
    public static async Task<DeskClient> SignInAsync(HttpClient http, string name, params string[] roles)
    {
        using var response = await http.PostAsJsonAsync("/api/dev/token", new { name, roles });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer", body.RootElement.GetProperty("tokenType").GetString());
        return new DeskClient(http, name, body.RootElement.GetProperty("accessToken").GetString()!);
    }

    /// <summary>The editor-in-chief: a publisher may do everything the desk does to an article.</summary>
    public static Task<DeskClient> PublisherAsync(HttpClient http) => SignInAsync(http, "Đặng Quốc Việt", "Publisher");

    public static HttpRequestMessage Request(HttpMethod method, string path, string? token, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (body is not null)
        {
            request.Content = body as HttpContent
                ?? new StringContent(body as string ?? JsonSerializer.Serialize(body, NewsroomJson.Options), Encoding.UTF8, "application/json");
        }
        return request;
    }

    public HttpRequestMessage Request(HttpMethod method, string path, object? body = null, string? ifMatch = null) =>
        Request(method, path, Token, body, ifMatch);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, string? ifMatch = null) =>
        http.SendAsync(Request(method, path, body, ifMatch));

    /// <summary>Sends, expects <paramref name="expected"/>, and reads the answer as an article of the desk.</summary>
    public async Task<DeskArticle> ExpectArticleAsync(HttpMethod method, string path, object? body = null, string? ifMatch = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendAsync(method, path, body, ifMatch);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path} as {Name}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return new DeskArticle(JsonDocument.Parse(text).RootElement.Clone(), response.Headers.ETag!.ToString());
    }

    /// <summary>Sends and expects a JSON answer with <paramref name="expected"/>.</summary>
    public async Task<JsonElement> ExpectJsonAsync(HttpMethod method, string path, object? body = null, string? ifMatch = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendAsync(method, path, body, ifMatch);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path} as {Name}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>GET, expecting 200 with an ETag (the homepage layout, a section).</summary>
    public async Task<(JsonElement Json, string ETag)> ExpectJsonAndETagAsync(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} as {Name}: {(int)response.StatusCode}: {text}");
        return (JsonDocument.Parse(text).RootElement.Clone(), response.Headers.ETag!.ToString());
    }

    public Task<DeskArticle> CreateAsync(object draft) => ExpectArticleAsync(HttpMethod.Post, "/api/articles", draft, expected: HttpStatusCode.Created);

    public Task<DeskArticle> GetAsync(string id) => ExpectArticleAsync(HttpMethod.Get, $"/api/articles/{id}/draft");

    /// <summary>POST /api/articles/{id}/{action} (submit, return, approve, publish, unpublish).</summary>
    public Task<DeskArticle> ActAsync(string id, string action, object? body = null, string? ifMatch = null) =>
        ExpectArticleAsync(HttpMethod.Post, $"/api/articles/{id}/{action}", body, ifMatch);

    /// <summary>Takes the article through the desk to published (or scheduled with <paramref name="publishAt"/>): submit and approve first where needed.</summary>
    public async Task<DeskArticle> PublishAsync(string id, object? publishAt = null)
    {
        var article = await GetAsync(id);
        if (article.Status is "draft" or "returned")
        {
            article = await ActAsync(id, "submit");
        }
        if (article.Status == "submitted")
        {
            article = await ActAsync(id, "approve");
        }
        return await ActAsync(id, "publish", publishAt is null ? null : new { publishAt });
    }
}
