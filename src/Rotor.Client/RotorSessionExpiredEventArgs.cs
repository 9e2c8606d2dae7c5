namespace Rotor.Client;

/// <summary>Tells the app that the server ended the session, so it should ask the user to sign in again.</summary>
public sealed class RotorSessionExpiredEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="reason">The server's code, such as <c>session_revoked</c> or <c>refresh_token_expired</c>.</param>
    /// <param name="user">The user whose session ended.</param>
    public RotorSessionExpiredEventArgs(string reason, RotorUser? user)
    {
        Reason = reason;
        User = user;
    }

    /// <summary>The server's code for why the refresh was refused, such as <c>session_revoked</c>.</summary>
    public string Reason { get; }

    /// <summary>The user whose session ended.</summary>
    public RotorUser? User { get; }
}
