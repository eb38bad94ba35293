package io.remit.registry.etcd;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.auth.AuthUserGetResponse;
import io.etcd.jetcd.auth.Permission;
import io.etcd.jetcd.options.OptionsUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * etcd's users and roles, kept as {@link EtcdAccessPolicy} says: every call is idempotent, so it
 * can be made again at each start. Needs a connection whose user holds etcd's {@code root} role
 * (only root may change users and roles). Blocking; each call waits up to the request timeout.
 * Thread-safe.
 */
public final class EtcdAuth {

    private final Etcd etcd;

    /** @param etcd a connection as a user with the {@code root} role */
    public EtcdAuth(Etcd etcd) {
        this.etcd = etcd;
    }

    private Auth auth() {
        return etcd.client().getAuthClient();
    }

    /**
     * Makes the role exist with exactly the grants of {@code role}: adds it if missing, grants
     * what is missing, revokes what is not in it.
     */
    public void ensureRole(EtcdAccessPolicy.Role role) {
        ByteSequence name = Etcd.bytes(role.name());
        List<Permission> have = rolePermissions(role.name()).orElse(null);
        if (have == null) {
            etcd.await(() -> auth().roleAdd(name), "add role " + role.name());
            have = List.of();
        }
        List<Permission> want = new ArrayList<>();
        for (EtcdAccessPolicy.Grant g : role.grants()) {
            ByteSequence key = Etcd.bytes(g.prefix());
            want.add(new Permission(type(g.access()), key, OptionsUtil.prefixEndOf(key)));
        }
        for (Permission p : have) {
            if (want.stream().noneMatch(w -> same(w, p))) {
                etcd.await(() -> auth().roleRevokePermission(name, p.getKey(), p.getRangeEnd()),
                        "revoke " + Etcd.string(p.getKey()) + " from role " + role.name());
            }
        }
        for (Permission w : want) {
            List<Permission> current = have;
            if (current.stream().noneMatch(p -> same(w, p))) {
                etcd.await(() -> auth().roleGrantPermission(name, w.getKey(), w.getRangeEnd(), w.getPermType()),
                        "grant " + Etcd.string(w.getKey()) + " to role " + role.name());
            }
        }
    }

    /** The role's permissions, or empty when there is no such role. */
    public Optional<List<Permission>> rolePermissions(String role) {
        try {
            return Optional.of(etcd.await(() -> auth().roleGet(Etcd.bytes(role)), "get role " + role).getPermissions());
        } catch (RegistryException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The user's roles, or empty when there is no such user. */
    public Optional<List<String>> userRoles(String user) {
        try {
            AuthUserGetResponse r = etcd.await(() -> auth().userGet(Etcd.bytes(user)), "get user " + user);
            return Optional.of(List.copyOf(r.getRoles()));
        } catch (RegistryException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Makes {@code user} exist holding {@code role}. A new user gets {@code password}; an existing
     * one gets it only when {@code resetPassword} (etcd then ends the user's open sessions, which
     * sign in again by themselves), else keeps the one it has.
     *
     * @return whether the user was added
     */
    public boolean ensureUser(String user, String password, String role, boolean resetPassword) {
        Objects.requireNonNull(password, "password");
        ByteSequence name = Etcd.bytes(user);
        boolean added = false;
        Optional<List<String>> roles = userRoles(user);
        if (roles.isEmpty()) {
            etcd.await(() -> auth().userAdd(name, Etcd.bytes(password)), "add user " + user);
            added = true;
        } else if (resetPassword) {
            etcd.await(() -> auth().userChangePassword(name, Etcd.bytes(password)), "change the password of user " + user);
        }
        if (roles.isEmpty() || !roles.get().contains(role)) {
            etcd.await(() -> auth().userGrantRole(name, Etcd.bytes(role)), "grant role " + role + " to user " + user);
        }
        return added;
    }

    /** Removes the user and the role of its name, if they exist. */
    public void deleteUserAndRole(String name) {
        try {
            etcd.await(() -> auth().userDelete(Etcd.bytes(name)), "delete user " + name);
        } catch (RegistryException e) {
            if (!notFound(e)) {
                throw e;
            }
        }
        try {
            etcd.await(() -> auth().roleDelete(Etcd.bytes(name)), "delete role " + name);
        } catch (RegistryException e) {
            if (!notFound(e)) {
                throw e;
            }
        }
    }

    private static boolean same(Permission a, Permission b) {
        return a.getPermType() == b.getPermType() && a.getKey().equals(b.getKey())
                && Objects.equals(a.getRangeEnd(), b.getRangeEnd());
    }

    private static Permission.Type type(EtcdAccessPolicy.Access access) {
        return switch (access) {
            case READ -> Permission.Type.READ;
            case WRITE -> Permission.Type.WRITE;
            case READWRITE -> Permission.Type.READWRITE;
        };
    }

    /** etcd says "role name not found" / "user name not found". */
    private static boolean notFound(RegistryException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("name not found")) {
                return true;
            }
        }
        return false;
    }
}
