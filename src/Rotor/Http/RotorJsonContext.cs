using System.Text.Json.Serialization;
using Rotor.Contracts;

namespace Rotor.Http;

/// <summary>Source-generated JSON for Rotor's contract: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(
    System.Text.Json.JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    // {"username":"a","username":"b"} names two accounts; whichever one a reader picked, another reader
    // (a proxy, a log, the rate limiter) might pick the other. Case variants count as the same key.
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(RegisterRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(List<SessionResponse>))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(AvailabilityResponse))]
[JsonSerializable(typeof(VerifyOtpRequest))]
[JsonSerializable(typeof(EmailRequest))]
[JsonSerializable(typeof(ResetPasswordRequest))]
[JsonSerializable(typeof(ResetTokenCheckRequest))]
[JsonSerializable(typeof(ChangePasswordRequest))]
[JsonSerializable(typeof(ChangeUsernameRequest))]
[JsonSerializable(typeof(SecurityEventPage))]
[JsonSerializable(typeof(LoginMfaRequest))]
[JsonSerializable(typeof(MfaStatusResponse))]
[JsonSerializable(typeof(MfaSetupResponse))]
[JsonSerializable(typeof(MfaCodeRequest))]
[JsonSerializable(typeof(RecoveryCodesResponse))]
[JsonSerializable(typeof(ReauthenticateRequest))]
[JsonSerializable(typeof(OAuthTokenResponse))]
[JsonSerializable(typeof(OAuthErrorResponse))]
[JsonSerializable(typeof(OAuthMetadataResponse))]
[JsonSerializable(typeof(AdminUserPage))]
[JsonSerializable(typeof(AdminUserResponse))]
[JsonSerializable(typeof(List<AdminSessionResponse>))]
[JsonSerializable(typeof(AdminRevokeResponse))]
internal sealed partial class RotorJsonContext : JsonSerializerContext;
