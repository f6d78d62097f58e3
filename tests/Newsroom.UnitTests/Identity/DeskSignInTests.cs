using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Newsroom.Identity;
using Newsroom.LocalHost.Identity;

namespace Newsroom.UnitTests.Identity;

/// <summary>
/// Access tokens are validated in the app: development tokens on the local host, Entra ID tokens on Azure
/// (the tenant's metadata and keys served here by a fake transport), and every kind of bad token refused.
/// </summary>
public sealed class DeskSignInTests : IDisposable
{
    private const string Tenant = "11111111-2222-3333-4444-555555555555";
    private const string ClientId = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero));
    private readonly DevelopmentTokenIssuer _dev = new();
    private readonly RSA _entraKey = RSA.Create(2048);
    private readonly RsaSecurityKey _entraSigningKey;

    public DeskSignInTests() => _entraSigningKey = new RsaSecurityKey(_entraKey) { KeyId = "entra-key-1" };

    public void Dispose()
    {
        _dev.Dispose();
        _entraKey.Dispose();
    }

    private DeskSignIn Local() => SignIn(new AuthOptions
    {
        DevelopmentIssuer = DevelopmentTokenIssuer.Issuer,
        DevelopmentSigningKey = _dev.AppSettings["Auth:DevelopmentSigningKey"],
    });

    private DeskSignIn Azure() => SignIn(new AuthOptions { TenantId = Tenant, ClientId = ClientId });

    private DeskSignIn SignIn(AuthOptions options)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(DeskSignIn.EntraHttpClient).ConfigurePrimaryHttpMessageHandler(() => new FakeEntra(this));
        using var provider = services.BuildServiceProvider();
        return new DeskSignIn(Options.Create(options), provider.GetRequiredService<IHttpClientFactory>(), _time, NullLogger<DeskSignIn>.Instance);
    }

    /// <summary>An access token as Entra ID issues them for the API (v2 issuer), signed with the tenant's key unless told otherwise.</summary>
    private string EntraToken(string? issuer = null, string? audience = null, SecurityKey? key = null, TimeSpan? lifetime = null, string? scope = "access_as_user", params string[] roles)
    {
        var claims = new List<Claim> { new("oid", "6f1c0000-0000-0000-0000-000000000001"), new("name", "Lương Thị Thu Hà"), new("tid", Tenant) };
        if (scope is not null)
        {
            claims.Add(new Claim("scp", scope));
        }
        claims.AddRange(roles.Select(r => new Claim("roles", r)));
        var now = _time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? $"https://login.microsoftonline.com/{Tenant}/v2.0",
            Audience = audience ?? ClientId,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.AddMinutes(-5),
            NotBefore = now.AddMinutes(-5),
            Expires = now + (lifetime ?? TimeSpan.FromHours(1)),
            SigningCredentials = new SigningCredentials(key ?? _entraSigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    private static HttpRequest Bearer(string? token, string scheme = "Bearer")
    {
        var context = new DefaultHttpContext();
        if (token is not null)
        {
            context.Request.Headers.Authorization = $"{scheme} {token}";
        }
        return context.Request;
    }

    [Fact]
    public async Task A_development_token_signs_in_with_its_name_roles_and_a_stable_id()
    {
        var token = _dev.Issue("Hoàng Minh Đức", [DeskRole.Reporter, DeskRole.Editor], _time.GetUtcNow());
        var user = await Local().UserAsync(Bearer(token), CancellationToken.None);
        Assert.Equal("Hoàng Minh Đức", user.Name);
        Assert.Equal(DevelopmentTokenIssuer.UserId("Hoàng Minh Đức"), user.Id);
        Assert.Equal(new HashSet<DeskRole> { DeskRole.Reporter, DeskRole.Editor }, user.Roles);
    }

    [Fact]
    public async Task An_entra_token_for_the_api_signs_in_by_client_id_or_app_id_uri_with_its_app_roles()
    {
        var user = await Azure().UserAsync(Bearer(EntraToken(roles: ["Publisher", "NotANewsroomRole", "3"])), CancellationToken.None);
        Assert.Equal(("6f1c0000-0000-0000-0000-000000000001", "Lương Thị Thu Hà"), (user.Id, user.Name));
        Assert.Equal(new HashSet<DeskRole> { DeskRole.Publisher }, user.Roles);
        var v1 = await Azure().UserAsync(Bearer(EntraToken(issuer: $"https://sts.windows.net/{Tenant}/", audience: $"api://{ClientId}", roles: ["Admin"])), CancellationToken.None);
        Assert.Contains(DeskRole.Admin, v1.Roles);
    }

    [Fact]
    public async Task The_azure_configuration_refuses_development_tokens()
    {
        var token = _dev.Issue("Kẻ giả mạo", [DeskRole.Publisher, DeskRole.Admin], _time.GetUtcNow());
        var e = await Assert.ThrowsAsync<UnauthorizedException>(() => Azure().UserAsync(Bearer(token), CancellationToken.None));
        Assert.Equal("invalid_token", e.Error);
    }

    public static TheoryData<string, string> BadTokens => new()
    {
        { "expired", "expired" },
        { "another audience", "another application" },
        { "another tenant", "another tenant" },
        { "unsigned (alg none)", "RS256" },
        { "an unknown key", "sign" },
        { "not a JWT", "well-formed" },
        { "three segments of nothing", "well-formed" },
        { "an ID token (no scope)", "scope" },
        { "a token for another scope", "scope" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Bad_tokens_are_refused_with_the_reason(string kind, string reason)
    {
        var token = kind switch
        {
            "expired" => Expired(),
            "another audience" => EntraToken(audience: "api://some-other-app"),
            "another tenant" => EntraToken(issuer: "https://login.microsoftonline.com/99999999-9999-9999-9999-999999999999/v2.0"),
            "unsigned (alg none)" => Unsigned(EntraToken(roles: ["Publisher"])),
            "an unknown key" => EntraToken(key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "entra-key-1" }, roles: ["Publisher"]),
            "three segments of nothing" => "aaaa.bbbb.cccc",
            "an ID token (no scope)" => EntraToken(scope: null, roles: ["Publisher"]),
            "a token for another scope" => EntraToken(scope: "User.Read", roles: ["Publisher"]),
            _ => "xin-chao",
        };
        var e = await Assert.ThrowsAsync<UnauthorizedException>(() => Azure().UserAsync(Bearer(token), CancellationToken.None));
        Assert.Equal("invalid_token", e.Error);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    private string Expired()
    {
        var token = EntraToken(lifetime: TimeSpan.FromMinutes(10), roles: ["Editor"]);
        _time.Advance(TimeSpan.FromMinutes(30));
        return token;
    }

    /// <summary>The same claims with alg "none" and no signature.</summary>
    private static string Unsigned(string token)
    {
        var parts = token.Split('.');
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"JWT"}"""));
        return $"{header}.{parts[1]}.";
    }

    [Theory]
    [InlineData(null, "Bearer")]
    [InlineData("abc", "Basic")]
    public async Task No_bearer_token_is_401_without_an_error_code(string? token, string scheme)
    {
        var e = await Assert.ThrowsAsync<UnauthorizedException>(() => Local().UserAsync(Bearer(token, scheme), CancellationToken.None));
        Assert.Null(e.Error);
        Assert.Contains("Authorization: Bearer", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, true, false, true)]
    [InlineData(true, false, true, true)]
    [InlineData(false, true, false, true)]
    [InlineData(true, true, true, false)]
    [InlineData(false, false, false, false)]
    public void Development_settings_are_refused_on_azure_and_some_issuer_is_required(bool entra, bool development, bool onAzure, bool valid)
    {
        var options = new AuthOptions
        {
            TenantId = entra ? Tenant : null,
            ClientId = entra ? ClientId : null,
            DevelopmentIssuer = development ? DevelopmentTokenIssuer.Issuer : null,
            DevelopmentSigningKey = development ? "{}" : null,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(onAzure ? [KeyValuePair.Create("WEBSITE_SITE_NAME", (string?)"func-newsroom")] : []).Build();
        var result = new AuthOptionsValidation(configuration).Validate(null, options);
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains(onAzure ? "local host only" : "Auth:TenantId", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void On_azure_with_development_settings_the_app_refuses_to_start()
    {
        var options = new AuthOptions { TenantId = Tenant, ClientId = ClientId, DevelopmentIssuer = DevelopmentTokenIssuer.Issuer, DevelopmentSigningKey = "{}" };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("WEBSITE_INSTANCE_ID", (string?)"abc")]).Build();
        Assert.False(new AuthOptionsValidation(configuration).Validate(null, options).Succeeded);
    }

    /// <summary>The tenant's OpenID metadata and signing keys, as login.microsoftonline.com serves them.</summary>
    private bool _entraDown;
    private RsaSecurityKey? _publishedKey;
    private int _keyFetches;

    [Fact]
    public async Task After_the_tenant_rolls_its_keys_a_token_signed_by_the_new_key_is_accepted_at_once_and_forged_kids_do_not_flood_entra()
    {
        var signIn = Azure();
        await signIn.UserAsync(Bearer(EntraToken(roles: ["Editor"])), CancellationToken.None);
        var fetchesAfterFirstSignIn = _keyFetches;

        using var next = RSA.Create(2048);
        _publishedKey = new RsaSecurityKey(next) { KeyId = "entra-key-2" };
        var user = await signIn.UserAsync(Bearer(EntraToken(key: _publishedKey, roles: ["Publisher"])), CancellationToken.None);
        Assert.Contains(DeskRole.Publisher, user.Roles);
        Assert.Equal(fetchesAfterFirstSignIn + 1, _keyFetches);

        // Tokens with kids nobody publishes: refused, without fetching the keys again within the interval.
        for (var i = 0; i < 5; i++)
        {
            using var forged = RSA.Create(2048);
            await Assert.ThrowsAsync<UnauthorizedException>(() =>
                signIn.UserAsync(Bearer(EntraToken(key: new RsaSecurityKey(forged) { KeyId = $"forged-{i}" }, roles: ["Publisher"])), CancellationToken.None));
        }
        Assert.Equal(fetchesAfterFirstSignIn + 1, _keyFetches);
    }

    [Fact]
    public async Task When_entra_id_cannot_be_reached_for_its_keys_a_sign_in_is_a_503_to_retry_not_a_refusal()
    {
        _entraDown = true;
        var e = await Assert.ThrowsAsync<ServiceUnavailableException>(() => Azure().UserAsync(Bearer(EntraToken(roles: ["Editor"])), CancellationToken.None));
        Assert.Contains("try again", e.Message, StringComparison.Ordinal);
    }

    private sealed class FakeEntra(DeskSignInTests test) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (test._entraDown)
            {
                throw new HttpRequestException("Name or service not known (login.microsoftonline.com:443)");
            }
            var path = request.RequestUri!.AbsolutePath;
            object body = path switch
            {
                var p when p.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal) => new Dictionary<string, object>
                {
                    ["issuer"] = $"https://login.microsoftonline.com/{Tenant}/v2.0",
                    ["jwks_uri"] = $"https://login.microsoftonline.com/{Tenant}/discovery/v2.0/keys",
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                },
                var p when p.EndsWith("/discovery/v2.0/keys", StringComparison.Ordinal) => new { keys = new[] { test.PublicJwk() } },
                _ => throw new InvalidOperationException("Unexpected request to " + request.RequestUri),
            };
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
            });
        }
    }

    /// <summary>The key the tenant publishes now (it rolls to <see cref="_publishedKey"/> when a test sets it).</summary>
    private Dictionary<string, string> PublicJwk()
    {
        _keyFetches++;
        var key = _publishedKey ?? _entraSigningKey;
        var p = key.Rsa.ExportParameters(false);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        };
    }
}
