#!/bin/sh
# SPDX-License-Identifier: MIT
# Creates smarkbot's /smk slash command on a Mattermost server and prints the
# config lines for it. Needs curl, and a token that may manage slash commands
# (a system admin's personal access token: bot accounts cannot own commands).
set -eu

usage() {
    cat <<USAGE
usage: $0 [--url URL] [--token TOKEN] [--team TEAM] [--listener URL]
          [--trigger smk] [--bot-token TOKEN]
  --url        Mattermost base URL (or MM_URL), e.g. https://chat.example.com
  --token      admin or personal access token (or MM_TOKEN)
  --team       team name (or MM_TEAM)
  --listener   smarkbot's HTTP listener as the server reaches it
               (or SMARKBOT_LISTENER; default http://127.0.0.1:8066)
  --trigger    the slash command (default smk)
  --bot-token  the bot account's access token, to print in the config
USAGE
}

url=${MM_URL:-}
token=${MM_TOKEN:-}
team=${MM_TEAM:-}
listener=${SMARKBOT_LISTENER:-http://127.0.0.1:8066}
trigger=smk
bot_token=

while [ $# -gt 0 ]; do
    case $1 in
    --url) url=$2; shift 2 ;;
    --token) token=$2; shift 2 ;;
    --team) team=$2; shift 2 ;;
    --listener) listener=$2; shift 2 ;;
    --trigger) trigger=$2; shift 2 ;;
    --bot-token) bot_token=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
done
[ -n "$url" ] && [ -n "$token" ] && [ -n "$team" ] || { usage >&2; exit 2; }
url=${url%/}
listener=${listener%/}

body=$(mktemp)
trap 'rm -f "$body"' EXIT

# api VERB PATH [JSON]: the body lands in $body, the status is printed.
api() {
    if [ $# -gt 2 ]; then
        curl -sS -o "$body" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $token" \
            -H 'Content-Type: application/json' --data "$3" "$url/api/v4$2"
    else
        curl -sS -o "$body" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $token" \
            "$url/api/v4$2"
    fi
}

# field NAME: the first string value of NAME in the JSON object(s) on stdin,
# one object per line (Mattermost's ids and tokens never hold quotes).
field() {
    sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p" | head -n 1
}

fail() {
    echo "setup.sh: $1 (HTTP $2): $(cat "$body")" >&2
    exit 1
}

status=$(api GET "/teams/name/$team") || exit 1
[ "$status" = 200 ] || fail "cannot find team '$team'" "$status"
team_id=$(tr ',' '\n' < "$body" | field id)

cmd="{\"team_id\":\"$team_id\",\"trigger\":\"$trigger\",\"method\":\"P\",\
\"url\":\"$listener/mattermost/command\",\"username\":\"smarkbot\",\
\"display_name\":\"smarkbot\",\"description\":\"Sales and marketing alignment\",\
\"auto_complete\":true,\"auto_complete_desc\":\"Leads, handoffs, SLA, digests\",\
\"auto_complete_hint\":\"help | lead add | handoff ...\"}"
status=$(api POST /commands "$cmd") || exit 1
if [ "$status" = 201 ]; then
    echo "created /$trigger in team $team" >&2
    command_token=$(field token < "$body")
elif [ "$status" = 400 ] && grep -q duplicate_trigger "$body"; then
    # Already there: reuse it, so running this twice is harmless.
    status=$(api GET "/commands?team_id=$team_id&custom_only=true") || exit 1
    [ "$status" = 200 ] || fail "cannot list the team's commands" "$status"
    command_token=$(sed 's/},{/}\n{/g' < "$body" | grep "\"trigger\":\"$trigger\"" | field token)
    echo "/$trigger already exists in team $team; using it" >&2
else
    fail "cannot create /$trigger" "$status"
fi
[ -n "$command_token" ] || { echo "setup.sh: no command token in the answer" >&2; exit 1; }

hostport=${listener#*://}
hostport=${hostport%%/*}
secret=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

echo "command token: $command_token"
echo
echo "; put these in smarkbot's config:"
echo "[mattermost]"
echo "url = $url"
if [ -n "$bot_token" ]; then
    echo "token = $bot_token"
else
    echo "token =                 ; the bot account's access token, or SMARKBOT_MATTERMOST_TOKEN"
fi
echo "team = $team"
echo "command_token = $command_token"
echo "action_secret = $secret"
echo
echo "[http]"
echo "listen = $hostport"
case $hostport in
127.*|localhost*|10.*|192.168.*|172.1[6-9].*|172.2[0-9].*|172.3[01].*)
    echo "; the server must allow this address: System Console > Developer >" \
         "AllowedUntrustedInternalConnections" >&2 ;;
esac
