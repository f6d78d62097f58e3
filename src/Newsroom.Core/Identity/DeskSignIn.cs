using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Newsroom.Identity;

/// <summary>
/// Signs a desk request in: the bearer access token is validated here, in the app (the API does not rely on
/// App Service authentication): issuer and audience of the configured Entra ID tenant and app registration,
/// an RS256 signature by one of the tenant's current signing keys (fetched from its OpenID metadata and
/// refreshed when an unknown key id appears), and its lifetime. Unsigned tokens (alg "none") and any other
/// algorithm are refused. The roles claim carries the app roles.
/// </summary>
public sealed class DeskSignIn
{
    private readonly AuthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DeskSignIn> _log;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _entra;
    private readonly SecurityKey? _developmentKey;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public const string EntraHttpClient = "entra";

    public DeskSignIn(IOptions<AuthOptions> options, IHttpClientFactory http, TimeProvider time, ILogger<DeskSignIn> log)
    {
        _options = options.Value;
        _time = time;
        _log = log;
        if (_options.UsesEntra)
        {
            _entra = new ConfigurationManager<OpenIdConnectConfiguration>(_options.MetadataAddress.ToString(), new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever(http.CreateClient(EntraHttpClient)) { RequireHttps = _options.MetadataAddress.Scheme == Uri.UriSchemeHttps });
        }
        if (_options.UsesDevelopmentTokens)
        {
            _developmentKey = new JsonWebKey(_options.DevelopmentSigningKey);
        }
    }

    /// <summary>The signed-in user; a <see cref="UnauthorizedException"/> (401) when there is no valid token.</summary>
    public async Task<DeskUser> UserAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnauthorizedException("Sign in: send an access token for the newsroom API as 'Authorization: Bearer <token>'.", error: null);
        }
        return await ValidateAsync(header["Bearer ".Length..].Trim(), cancellationToken);
    }

    /// <summary>Validates an access token; a <see cref="UnauthorizedException"/> says why it is refused.</summary>
    public async Task<DeskUser> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (_handler.CanReadToken(token) && new JsonWebToken(token).Alg is var alg && alg != SecurityAlgorithms.RsaSha256)
        {
            // Said plainly before anything else: an unsigned token (alg "none") or an HMAC one is never accepted.
            throw Refused($"it is not signed with RS256 (its alg is '{alg}').");
        }
        var result = await _handler.ValidateTokenAsync(token, await ParametersAsync(cancellationToken));
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException && _entra is not null)
        {
            // The tenant may have rolled its keys: fetch them again, once.
            _entra.RequestRefresh();
            result = await _handler.ValidateTokenAsync(token, await ParametersAsync(cancellationToken));
        }
        if (!result.IsValid)
        {
            throw Refused(Describe(result.Exception));
        }
        return ToUser(result.ClaimsIdentity);
    }

    private UnauthorizedException Refused(string why)
    {
        IdentityLog.TokenRefused(_log, why);
        return new UnauthorizedException($"The access token was refused: {why} Sign in again to get a new one.", error: "invalid_token") { ErrorDescription = why };
    }

    private async Task<TokenValidationParameters> ParametersAsync(CancellationToken cancellationToken)
    {
        var parameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = TimeSpan.FromSeconds(_options.ClockSkewSeconds),
            LifetimeValidator = ValidateLifetime,
            NameClaimType = "name",
            RoleClaimType = "roles",
        };
        var issuers = new List<string>();
        var audiences = new List<string>();
        var keys = new List<SecurityKey>();
        if (_entra is not null)
        {
            OpenIdConnectConfiguration configuration;
            try
            {
                configuration = await _entra.GetConfigurationAsync(cancellationToken);
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Never fetched (a first request while Entra ID cannot be reached): no key to check a token with.
                IdentityLog.MetadataUnavailable(_log, _options.MetadataAddress, e);
                throw new ServiceUnavailableException("Signing in is unavailable for a moment: Entra ID's signing keys could not be fetched.", e);
            }
            issuers.AddRange(_options.EntraIssuers);
            audiences.AddRange(_options.EntraAudiences);
            keys.AddRange(configuration.SigningKeys);
        }
        if (_developmentKey is not null)
        {
            issuers.Add(_options.DevelopmentIssuer!);
            audiences.Add(DevelopmentAudience);
            keys.Add(_developmentKey);
        }
        parameters.ValidIssuers = issuers;
        parameters.ValidAudiences = audiences;
        parameters.IssuerSigningKeys = keys;
        return parameters;
    }

    /// <summary>The token's lifetime against the app's clock (TimeProvider), with the configured skew.</summary>
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }
        if (notBefore is { } from && from > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = from };
        }
        if (expires.Value < now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires.Value };
        }
        return true;
    }

    /// <summary>The audience of development tokens.</summary>
    public const string DevelopmentAudience = "api://newsroom-local";

    private static DeskUser ToUser(ClaimsIdentity identity)
    {
        var id = identity.FindFirst("oid")?.Value ?? identity.FindFirst("sub")?.Value
            ?? throw new UnauthorizedException("The access token names no user (no oid claim).", error: "invalid_token");
        var name = identity.FindFirst("name")?.Value ?? identity.FindFirst("preferred_username")?.Value ?? id;
        // Only the role names themselves ("1" would parse as a DeskRole too); unknown roles are ignored.
        var roles = identity.FindAll("roles").Where(c => Enum.GetNames<DeskRole>().Contains(c.Value, StringComparer.Ordinal))
            .Select(c => Enum.Parse<DeskRole>(c.Value)).ToHashSet();
        return new DeskUser(id, name, roles);
    }

    private static string Describe(Exception? e) => e switch
    {
        SecurityTokenExpiredException => "it has expired.",
        SecurityTokenNotYetValidException => "it is not valid yet.",
        SecurityTokenInvalidAudienceException => "it is for another application (audience).",
        SecurityTokenInvalidIssuerException => "it was issued by another tenant or issuer.",
        SecurityTokenSignatureKeyNotFoundException => "it is signed by a key the tenant does not publish.",
        SecurityTokenInvalidSignatureException => "its signature is not valid.",
        SecurityTokenInvalidAlgorithmException => "it is not signed with RS256.",
        SecurityTokenNoExpirationException => "it has no expiry.",
        SecurityTokenMalformedException or ArgumentException => "it is not a well-formed JWT.",
        _ => "it could not be validated.",
    };
}
