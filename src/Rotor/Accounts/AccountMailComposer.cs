using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Rotor.Email;
using Rotor.Storage;

namespace Rotor.Accounts;

/// <summary>
/// Makes verification codes and reset tokens for queued jobs and writes the mails that carry them. A code is
/// only ever made for an address its account is confirming (<see cref="RotorEmailVerification"/>).
/// </summary>
internal sealed class AccountMailComposer<TUser>(
    UserManager<TUser> users,
    IAccountTokenStore tokens,
    IStoreUnitOfWork unit,
    AccountSecrets secrets,
    TimeProvider time,
    IOptions<RotorOptions> options) : IAccountMailComposer
    where TUser : IdentityUser
{
    private readonly RotorOptions _options = options.Value;

    public async Task<RotorEmailMessage?> ComposeAsync(RotorMailJob job, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(job.Email.Trim());
        if (user?.Email is not { } address)
        {
            return null;
        }

        var now = time.GetUtcNow();
        switch (job.Kind)
        {
            case RotorMailJob.VerifyRegistration:
                return await StartAndMailCodeAsync(user, address, EmailVerificationReasons.Registration, now, cancellationToken);

            case RotorMailJob.VerifyEmail:
                return await StartAndMailCodeAsync(user, address, EmailVerificationReasons.EmailChange, now, cancellationToken);

            case RotorMailJob.ResendVerification:
                var pending = await tokens.FindVerificationAsync(user.Id, cancellationToken);
                if (pending is not null && users.NormalizeEmail(pending.Email) == user.NormalizedEmail)
                {
                    return await StartAndMailCodeAsync(user, address, pending.Reason, now, cancellationToken, pending);
                }

                // Under required verification an unverified account cannot sign in without a code, so one is mailed
                // even without a verification under way (its job was lost, or it predates them); it only confirms.
                return EmailConfirmationPolicy.IsRequired(_options, users.Options)
                    ? await StartAndMailCodeAsync(user, address, EmailVerificationReasons.Address, now, cancellationToken)
                    : null;

            case RotorMailJob.ResetPassword:
                var id = Guid.CreateVersion7(now);
                var token = AccountSecrets.NewResetToken(id, out var secret);
                await tokens.IssueAsync(secrets.Create(user.Id, AccountTokenPurposes.ResetPassword, secret, now, _options.PasswordResetLifetime, id), cancellationToken);
                var link = _options.PublicOrigin.TrimEnd('/') + "/reset-password?token=" + Uri.EscapeDataString(token);
                return ResetMail(address, user.UserName, link, _options.PasswordResetLifetime);

            default:
                return null;
        }
    }

    /// <summary>Starts (or keeps) the verification of the user's current address and mails a new code for it, in one unit.</summary>
    private async Task<RotorEmailMessage?> StartAndMailCodeAsync(
        TUser user, string address, string reason, DateTimeOffset now, CancellationToken cancellationToken, RotorEmailVerification? pending = null)
    {
        if (user.EmailConfirmed)
        {
            return null;
        }

        var code = AccountSecrets.NewCode();
        await unit.RunAsync(async ct =>
        {
            if (pending is null)
            {
                await tokens.StartVerificationAsync(new RotorEmailVerification { UserId = user.Id, Email = address, Reason = reason, StartedAt = now }, ct);
            }

            await tokens.IssueAsync(secrets.Create(user.Id, AccountTokenPurposes.VerifyEmail, code, now, AccountSecrets.CodeLifetime), ct);
            return true;
        }, cancellationToken);
        return VerificationMail(address, user.UserName, code, reason != EmailVerificationReasons.EmailChange);
    }

    private static RotorEmailMessage VerificationMail(string to, string? userName, string code, bool newAccount)
    {
        var minutes = (int)AccountSecrets.CodeLifetime.TotalMinutes;
        var purpose = newAccount ? "finish setting up your account" : "confirm this new address for your account";
        var ignore = newAccount ? "If you did not create an account, ignore this email." : "If you did not change the address of your account, ignore this email.";
        var text = $"""
            Hello {userName},

            Your verification code is: {code}

            Enter it on the verification page to {purpose}. It works once, for {minutes} minutes; asking for a new code makes this one stop working.

            {ignore}
            """;
        var html = $"""
            <!DOCTYPE html>
            <html><body style="font-family: sans-serif">
            <p>Hello {Html(userName)},</p>
            <p>Your verification code is:</p>
            <p style="font-size: 28px; font-weight: bold; letter-spacing: 4px">{Html(code)}</p>
            <p>Enter it on the verification page to {purpose}. It works once, for {minutes} minutes; asking for a new code makes this one stop working.</p>
            <p>{ignore}</p>
            </body></html>
            """;
        return new RotorEmailMessage(to, $"Your verification code: {code}", text, html);
    }

    private static RotorEmailMessage ResetMail(string to, string? userName, string link, TimeSpan lifetime)
    {
        var valid = lifetime.TotalMinutes >= 120 && lifetime.TotalHours == Math.Floor(lifetime.TotalHours)
            ? $"{lifetime.TotalHours.ToString(CultureInfo.InvariantCulture)} hours"
            : lifetime == TimeSpan.FromHours(1) ? "one hour" : $"{Math.Ceiling(lifetime.TotalMinutes).ToString(CultureInfo.InvariantCulture)} minutes";
        var text = $"""
            Hello {userName},

            Someone asked to reset the password of your account. To choose a new password, open this link:

            {link}

            The link works once, for {valid}. Resetting the password signs you out on every device.

            If you did not ask for this, ignore this email: your password stays as it is.
            """;
        var html = $"""
            <!DOCTYPE html>
            <html><body style="font-family: sans-serif">
            <p>Hello {Html(userName)},</p>
            <p>Someone asked to reset the password of your account. To choose a new password, open this link:</p>
            <p><a href="{Html(link)}">Choose a new password</a></p>
            <p>Or copy this address into your browser: {Html(link)}</p>
            <p>The link works once, for {valid}. Resetting the password signs you out on every device.</p>
            <p>If you did not ask for this, ignore this email: your password stays as it is.</p>
            </body></html>
            """;
        return new RotorEmailMessage(to, "Reset your password", text, html);
    }

    private static string Html(string? value) => WebUtility.HtmlEncode(value ?? "");
}
