#include "app/input_script.h"

#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct scripted {
	double delay;
	char device;   // 'f'inger, 'm'ouse, 'k'ey
	char action;   // 'd'own, 'm'ove, 'u'p
	int id;
	double x, y;
	SDL_Keycode key;
};

struct input_script {
	struct scripted *events; // owned
	size_t count, next;
	double next_at;          // monotonic; INFINITY: not started
};

static const struct {
	const char *name;
	SDL_Keycode key;
} keys[] = {
	{"escape", SDLK_ESCAPE}, {"return", SDLK_RETURN}, {"left", SDLK_LEFT},
	{"right", SDLK_RIGHT},   {"up", SDLK_UP},         {"down", SDLK_DOWN},
	{"q", SDLK_q},
};

static bool parse_key(const char *name, SDL_Keycode *key)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcasecmp(name, keys[i].name) == 0) {
			*key = keys[i].key;
			return true;
		}
	}
	return false;
}

static bool parse_line(const char *line, struct scripted *ev)
{
	char device[16], action[16];
	*ev = (struct scripted){0};
	if (sscanf(line, "%lf %15s", &ev->delay, device) != 2 || !(ev->delay >= 0)) {
		return false;
	}
	ev->device = device[0];
	if (strcmp(device, "key") == 0) {
		char name[32];
		return sscanf(line, "%*f %*s %31s", name) == 1 && parse_key(name, &ev->key);
	}
	int n;
	if (strcmp(device, "finger") == 0) {
		n = sscanf(line, "%*f %*s %15s %d %lf %lf", action, &ev->id, &ev->x, &ev->y);
		n = n == 4 ? 3 : 0;
	} else if (strcmp(device, "mouse") == 0) {
		n = sscanf(line, "%*f %*s %15s %lf %lf", action, &ev->x, &ev->y);
	} else {
		return false;
	}
	ev->action = action[0];
	return n == 3 && (strcmp(action, "down") == 0 || strcmp(action, "move") == 0 ||
			  strcmp(action, "up") == 0);
}

struct input_script *input_script_load(const char *path, char *err, size_t err_size)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, err_size, "%s: cannot read the input script", path);
		return NULL;
	}
	struct input_script *s = xcalloc(1, sizeof(*s));
	s->next_at = INFINITY;
	size_t cap = 0;
	char line[256];
	for (int number = 1; fgets(line, sizeof(line), f); number++) {
		char *hash = strchr(line, '#');
		if (hash) {
			*hash = '\0';
		}
		if (strspn(line, " \t\r\n") == strlen(line)) {
			continue;
		}
		if (s->count == cap) {
			cap = cap ? 2 * cap : 16;
			s->events = xrealloc(s->events, cap * sizeof(*s->events));
		}
		if (!parse_line(line, &s->events[s->count])) {
			snprintf(err, err_size, "%s:%d: expected \"DELAY finger down|move|up ID X Y\", "
				 "\"DELAY mouse down|move|up X Y\" or \"DELAY key NAME\"", path, number);
			fclose(f);
			input_script_destroy(s);
			return NULL;
		}
		s->count++;
	}
	fclose(f);
	return s;
}

void input_script_destroy(struct input_script *script)
{
	if (script) {
		free(script->events);
		free(script);
	}
}

void input_script_start(struct input_script *script, double now)
{
	if (isinf(script->next_at) && script->next == 0 && script->count > 0) {
		script->next_at = now + script->events[0].delay;
	}
}

static void push(const struct scripted *s, int width, int height)
{
	SDL_Event ev = {0};
	if (s->device == 'k') {
		ev.type = SDL_KEYDOWN;
		ev.key.state = SDL_PRESSED;
		ev.key.keysym.sym = s->key;
	} else if (s->device == 'f') {
		ev.type = s->action == 'd' ? SDL_FINGERDOWN
			  : s->action == 'm' ? SDL_FINGERMOTION
					     : SDL_FINGERUP;
		ev.tfinger.touchId = 1; // a touch screen of its own, not the mouse's
		ev.tfinger.fingerId = s->id;
		ev.tfinger.x = (float)(s->x / (width > 0 ? width : 1));
		ev.tfinger.y = (float)(s->y / (height > 0 ? height : 1));
		ev.tfinger.pressure = 1;
	} else if (s->action == 'm') {
		ev.type = SDL_MOUSEMOTION;
		ev.motion.x = (int)s->x;
		ev.motion.y = (int)s->y;
		ev.motion.state = SDL_BUTTON_LMASK;
	} else {
		ev.type = s->action == 'd' ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP;
		ev.button.button = SDL_BUTTON_LEFT;
		ev.button.state = s->action == 'd' ? SDL_PRESSED : SDL_RELEASED;
		ev.button.x = (int)s->x;
		ev.button.y = (int)s->y;
	}
	SDL_PushEvent(&ev);
}

double input_script_run(struct input_script *script, double now, int width, int height)
{
	while (script->next < script->count && now >= script->next_at) {
		push(&script->events[script->next++], width, height);
		script->next_at = script->next < script->count
					  ? script->next_at + script->events[script->next].delay
					  : INFINITY;
	}
	return script->next_at;
}
