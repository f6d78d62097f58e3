using Microsoft.Extensions.Logging;

namespace Newsroom.Identity;

internal static partial class IdentityLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Access token refused: {Reason}")]
    public static partial void TokenRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Error, Message = "Entra ID's OpenID metadata at {Address} could not be fetched; desk sign-ins answer 503 until it can")]
    public static partial void MetadataUnavailable(ILogger logger, Uri address, Exception exception);
}
