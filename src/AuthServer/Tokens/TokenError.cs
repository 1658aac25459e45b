namespace AuthServer.Tokens;

/// <summary>
/// A refused token request. Each kind has one status and one registry error code; the body is
/// the registry's error JSON, which docker, containerd and containers/image all display.
/// </summary>
public sealed record TokenError(int Status, string Code, string Message)
{
    public const string InvalidRequestCode = "INVALID_REQUEST";

    public static TokenError BadRequest(string message) => new(StatusCodes.Status400BadRequest, InvalidRequestCode, message);

    /// <summary>One message for every credential failure, so the answer never tells which part was wrong.</summary>
    public static readonly TokenError Unauthorized =
        new(StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "authentication required: invalid username, password or token");

    public static TokenError MethodNotAllowed(string method) =>
        new(StatusCodes.Status405MethodNotAllowed, "UNSUPPORTED", $"method {method} is not allowed here: use GET or POST");
}
