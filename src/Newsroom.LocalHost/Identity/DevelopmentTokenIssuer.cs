using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Newsroom.Http;
using Newsroom.Identity;
using Newsroom.Json;

namespace Newsroom.LocalHost.Identity;

/// <summary>
/// Stands in for Entra ID on a developer's machine: <c>POST /api/dev/token</c> with
/// <c>{ "name": "…", "roles": ["Reporter"] }</c> answers <c>{ "accessToken", "expiresIn", "tokenType" }</c>, an
/// RS256 JWT shaped like an Entra access token (oid, name, roles). The key is made when the local host
/// starts and its public half is given to the Functions app as Auth__DevelopmentSigningKey, with the issuer,
/// so the app validates these tokens exactly as it validates Entra's. The Functions app has no such
/// endpoint, and refuses to start on Azure with development settings.
/// </summary>
public sealed class DevelopmentTokenIssuer : IDisposable
{
    public const string Issuer = "https://newsroom.localhost/dev-token-issuer";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private readonly JsonWebTokenHandler _handler = new();

    public DevelopmentTokenIssuer()
    {
        _key = new RsaSecurityKey(_rsa) { KeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) };
    }

    /// <summary>The app settings that make the Functions app trust these tokens.</summary>
    public IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>
    {
        [AuthOptions.SectionName + ":" + nameof(AuthOptions.DevelopmentIssuer)] = Issuer,
        [AuthOptions.SectionName + ":" + nameof(AuthOptions.DevelopmentSigningKey)] = JsonSerializer.Serialize(PublicKey()),
    };

    /// <summary>
    /// A token for <paramref name="name"/> with <paramref name="roles"/>; the user's id is derived from the name.
    /// Another <paramref name="audience"/> or <paramref name="issuer"/> makes a token the app must refuse (tests).
    /// </summary>
    public string Issue(string name, IEnumerable<DeskRole> roles, DateTimeOffset now, TimeSpan? lifetime = null, string? audience = null, string? issuer = null)
    {
        var claims = new List<Claim>
        {
            new("oid", UserId(name)),
            new("name", name),
            new("tid", "local"),
            new("scp", new AuthOptions().Scope),
        };
        claims.AddRange(roles.Distinct().Select(r => new Claim("roles", r.ToString())));
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? DeskSignIn.DevelopmentAudience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + (lifetime ?? Lifetime)).UtcDateTime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>The same name always gets the same id, so "author=me" and history follow a person across tokens.</summary>
    public static string UserId(string name) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes("newsroom-dev-user:" + name))[..16]).ToString();

    public void Dispose() => _rsa.Dispose();

    private Dictionary<string, string> PublicKey()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = SecurityAlgorithms.RsaSha256,
            ["kid"] = _key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    /// <summary>The request of POST /api/dev/token.</summary>
    public sealed record TokenRequest(string? Name, IReadOnlyList<string>? Roles);

    /// <summary>Maps POST /api/dev/token on the local host's front door.</summary>
    public void Map(IEndpointRouteBuilder endpoints, string routePrefix) =>
        endpoints.MapPost($"/{routePrefix}/dev/token", async context =>
        {
            var result = await IssueAsync(context);
            await result.ExecuteResultAsync(new Microsoft.AspNetCore.Mvc.ActionContext(context, context.GetRouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        }).WithDisplayName("DevelopmentToken");

    private async Task<Microsoft.AspNetCore.Mvc.IActionResult> IssueAsync(HttpContext context)
    {
        TokenRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<TokenRequest>(context.Request.Body, NewsroomJson.Options, context.RequestAborted);
        }
        catch (JsonException e)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Bad request", $"The body must be JSON like {{\"name\":\"Lê Thu Hà\",\"roles\":[\"Reporter\"]}}: {e.Message}");
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request?.Name) || request.Name.Length > 100)
        {
            errors["name"] = ["A display name of 1 to 100 characters is required."];
        }
        var roles = new List<DeskRole>();
        foreach (var (role, i) in (request?.Roles ?? []).Select((r, i) => (r, i)))
        {
            if (Enum.TryParse<DeskRole>(role, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(role, out _))
            {
                roles.Add(parsed);
            }
            else
            {
                errors[$"roles[{i}]"] = [$"'{role}' is not a role; use {string.Join(", ", Enum.GetNames<DeskRole>())}."];
            }
        }
        if (errors.Count > 0)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "Validation failed", "The token request has problems; see errors.", errors);
        }
        var token = Issue(request!.Name!.Trim(), roles, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        return new TokenResult(token, (int)Lifetime.TotalSeconds);
    }

    private sealed class TokenResult(string token, int expiresIn) : Microsoft.AspNetCore.Mvc.IActionResult
    {
        public async Task ExecuteResultAsync(Microsoft.AspNetCore.Mvc.ActionContext context)
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            await context.HttpContext.Response.WriteAsJsonAsync(new { accessToken = token, expiresIn, tokenType = "Bearer" }, NewsroomJson.Options);
        }
    }
}
