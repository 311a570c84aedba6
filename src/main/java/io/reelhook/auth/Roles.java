package io.reelhook.auth;

/** The roles that {@code @RolesAllowed} names on the resources. */
public final class Roles {

    /** A client application: uploads, task reads, event history and stream. */
    public static final String CLIENT = "client";

    /** An operator: the admin endpoints; an admin key has the client role as well. */
    public static final String ADMIN = "admin";

    private Roles() {}
}
